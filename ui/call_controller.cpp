#include "ui/call_controller.hpp"

#include "ui/queued_call.hpp"

namespace hotline::ui {

CallController::CallController(QObject* parent) : QObject(parent) {}

void CallController::attach(call::Engine* engine, call::CallOptions defaults) {
  engine_ = engine;
  options_ = defaults;
}

void CallController::call(const QString& peer) {
  if (!engine_ || active_) return;
  engine_->call(peer.toStdString(), options_);
}

void CallController::answer() {
  if (engine_ && ringing_incoming()) engine_->answer(active_->id);
}

void CallController::decline() {
  if (engine_ && ringing_incoming()) engine_->decline(active_->id);
}

void CallController::hangup() {
  if (engine_ && active_) engine_->hangup(active_->id);
}

void CallController::set_muted(bool muted) {
  if (engine_ && active_) engine_->set_muted(active_->id, muted);
}

void CallController::report_sas_mismatch() {
  if (engine_ && active_) engine_->report_sas_mismatch(active_->id);
}

void CallController::confirm_sas() {
  if (engine_ && active_) engine_->confirm_sas(active_->id);
}

void CallController::set_volume(double volume) {
  if (engine_) engine_->set_output_volume(volume);
}

std::optional<call::CallStats> CallController::live_stats() const {
  if (!engine_ || !active_) return std::nullopt;
  return engine_->call_stats(active_->id);
}

bool CallController::ringing_incoming() const {
  return active_ && active_->direction == call::Direction::kIncoming &&
         active_->state == call::CallState::kRinging;
}

void CallController::mark_missed_seen() {
  if (missed_ == 0) return;
  missed_ = 0;
  emit missedChanged(0);
}

std::optional<call::PeerStatus> CallController::status_of(const QString& peer) const {
  const auto it = statuses_.find(peer);
  if (it == statuses_.end()) return std::nullopt;
  return it->second;
}

void CallController::apply_changed(const call::CallStats& s) {
  // Only one call at a time: a second one the engine reports is refused there (busy).
  if (active_ && active_->id != s.id) return;
  const bool new_incoming = s.direction == call::Direction::kIncoming &&
                            s.state == call::CallState::kRinging &&
                            (!active_ || active_->state != call::CallState::kRinging);
  active_ = s;
  emit activeChanged();
  if (new_incoming) emit incomingCall(s);
}

void CallController::apply_ended(const call::CallStats& s) {
  const bool was_ringing_here = active_ && active_->id == s.id &&
                                active_->direction == call::Direction::kIncoming &&
                                active_->state == call::CallState::kRinging;
  const bool missed = s.direction == call::Direction::kIncoming &&
                      (s.end_reason == call::EndReason::kCancelled ||
                       (s.end_reason == call::EndReason::kConnectionLost && was_ringing_here));
  if (active_ && active_->id == s.id) {
    active_.reset();
    emit activeChanged();
  }
  if (missed) {
    ++missed_;
    emit missedChanged(missed_);
  }
  // A call that could not reach the peer says more about its line than the last probe: shown
  // offline at once (the next probe that gets through shows it up again).
  if (s.end_reason == call::EndReason::kUnreachable ||
      s.end_reason == call::EndReason::kConnectionLost) {
    const QString name = QString::fromStdString(s.peer);
    call::PeerStatus& status = statuses_[name];
    status.peer = s.peer;
    status.online = false;
    emit peerStatusChanged(name);
  }
  emit callEnded(s);
}

void CallController::apply_status(const call::PeerStatus& status) {
  const QString name = QString::fromStdString(status.peer);
  statuses_[name] = status;
  emit peerStatusChanged(name);
}

void CallController::apply_records_health(const console::RecordsHealth& health) {
  records_ = health;
  emit recordsHealthChanged();
}

void CallController::apply_directory_tampering(const QStringList& problems) {
  if (problems == tampering_) return;
  tampering_ = problems;
  emit directoryTamperingChanged();
}

void CallController::apply_history_key_problems(const QStringList& problems) {
  if (problems == history_key_problems_) return;
  history_key_problems_ = problems;
  emit historyKeyProblemsChanged();
}

void EngineEvents::on_history_keys_checked(const std::vector<std::string>& problems) {
  QStringList words;
  for (const std::string& p : problems) words << QString::fromStdString(p);
  post_to(&controller_, [c = &controller_, words] { c->apply_history_key_problems(words); });
}

void EngineEvents::on_directory_checked(const std::vector<store::DirectoryFinding>& tampered) {
  QStringList problems;
  for (const auto& f : tampered) problems << QString::fromStdString(f.problem);
  post_to(&controller_, [c = &controller_, problems] { c->apply_directory_tampering(problems); });
}

void EngineEvents::on_store_changed() {
  post_to(&controller_, [c = &controller_] { emit c->storeChanged(); });
}

void EngineEvents::on_records_health(const console::RecordsHealth& h) {
  post_to(&controller_, [c = &controller_, h] { c->apply_records_health(h); });
}

void EngineEvents::on_call_changed(const call::CallStats& s) {
  post_to(&controller_, [c = &controller_, s] { c->apply_changed(s); });
}

void EngineEvents::on_call_ended(const call::CallStats& s) {
  post_to(&controller_, [c = &controller_, s] { c->apply_ended(s); });
}

void EngineEvents::on_peer_status(const call::PeerStatus& s) {
  post_to(&controller_, [c = &controller_, s] { c->apply_status(s); });
}

}  // namespace hotline::ui
