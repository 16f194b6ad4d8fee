#include "core/console/call_recorder.hpp"

#include <vector>

#include "core/admin/audit_details.hpp"
#include "core/store/audit_log.hpp"
#include "core/store/database.hpp"
#include "core/store/peer_store.hpp"
#include "core/util/realtime_thread.hpp"
#include "core/util/time_format.hpp"

namespace hotline::console {
namespace {

using call::CallState;
using call::EndReason;
using store::CallOutcome;

}  // namespace

store::CallOutcome outcome_of(const call::CallStats& s, bool was_connected) {
  const bool incoming = s.direction == call::Direction::kIncoming;
  if (was_connected) {
    switch (s.end_reason) {
      case EndReason::kConnectionLost:
        return CallOutcome::kConnectionLost;
      case EndReason::kFailed:
      case EndReason::kInterceptionSuspected:  // the end reason keeps the detail
        return CallOutcome::kFailed;
      default:
        return CallOutcome::kAnswered;
    }
  }
  switch (s.end_reason) {
    case EndReason::kDeclined:
      return CallOutcome::kDeclined;
    case EndReason::kBusy:
      return CallOutcome::kBusy;
    case EndReason::kNoAnswer:
      return CallOutcome::kNoAnswer;
    case EndReason::kCancelled:
      // The caller gave up: a missed call for the callee, a cancelled one for the caller.
      return incoming ? CallOutcome::kMissed : CallOutcome::kCancelled;
    case EndReason::kUnreachable:
      return CallOutcome::kUnreachable;
    case EndReason::kConnectionLost:
      // A caller who vanished while ringing leaves a missed call.
      return incoming ? CallOutcome::kMissed : CallOutcome::kConnectionLost;
    case EndReason::kRefused:
      return CallOutcome::kRefused;
    case EndReason::kLocalHangup:
    case EndReason::kRemoteHangup:
    case EndReason::kFailed:
    case EndReason::kInterceptionSuspected:
      break;
  }
  return CallOutcome::kFailed;
}

store::CallQuality quality_of(const call::CallStats& s) {
  const call::MediaCounters& m = s.media;
  store::CallQuality q;
  q.mean_rtt_ms = s.mean_rtt_ms;
  // Frames that were due: lost ones and those that came in time (not duplicates, not late).
  const double due = static_cast<double>(m.lost) + static_cast<double>(m.voice_packets_received) -
                     static_cast<double>(m.duplicates) - static_cast<double>(m.late);
  q.loss_percent = due > 0 ? 100.0 * static_cast<double>(m.lost) / due : 0.0;
  q.jitter_ms = m.interarrival_jitter_ms;
  q.concealed_percent = m.samples_played > 0 ? 100.0 * static_cast<double>(m.concealed_samples) /
                                                   static_cast<double>(m.samples_played)
                                             : 0.0;
  q.fec_recovered = static_cast<std::int64_t>(m.fec_recovered);
  q.interruptions = static_cast<std::int64_t>(m.interruptions);
  return q;
}

std::string describe(const RecordsHealth& health) {
  const auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + (n == 1 ? one : many);
  };
  if (health.lost > 0) {
    return "error: " + plural(health.lost, " record", " records") +
           " could not be written before the console stopped: " + health.problem;
  }
  if (health.failing) {
    return "warning: the console's records cannot be written now: " + health.problem +
           "\n  Calls go on; " + plural(health.waiting, " record waits", " records wait") +
           " in memory, retried every " + std::to_string(CallRecorder::kHeartbeat.count()) + " s.";
  }
  return "note: the console's records are written again; nothing that waited was lost";
}

CallRecorder::CallRecorder(const std::filesystem::path& database,
                           std::shared_ptr<const store::HistoryEpoch> epoch,
                           call::EngineListener& next, std::set<std::string> unrecorded,
                           RecordsHealthHandler on_health, std::optional<RecorderAudit> audit)
    : next_(next),
      unrecorded_(std::move(unrecorded)),
      on_health_(std::move(on_health)),
      audit_(std::move(audit)) {
  // Opened here, so a database that cannot be opened is reported to the caller.
  auto db = std::make_shared<store::Database>(
      store::Database::open(database, store::Database::OpenMode::kMustExist));
  db->set_busy_timeout(kBusyTimeout);
  thread_ = std::thread([this, db, epoch = std::move(epoch)] {
    name_this_thread("hotline-records");
    store::CallHistory history(*db, epoch);
    std::vector<store::CallRecord> seen;
    std::unique_lock lock(mutex_);
    auto next_beat = std::chrono::steady_clock::now() + kHeartbeat;
    bool history_waits = false;    // the store refused the queue's first job: retry at the beat
    bool history_failing = false;  // the last history write was refused (history_waits is
                                   // cleared at each beat to retry; this only by a success)
    bool touch_failing = false;
    std::size_t lost = 0;  // at stop: what the store never took
    for (;;) {
      report_health(history_failing || peer_records_failing_ || touch_failing, 0, lock);
      wake_.wait_until(lock, next_beat, [&] {
        return stopping_ || peer_records_ready_ || (!queue_.empty() && !history_waits);
      });
      // Replay state first: it guards against replayed calls, the history only describes them.
      if (peer_records_ready_) write_peer_records(*db, lock);
      while (!queue_.empty() && (!history_waits || stopping_)) {
        const Job job = queue_.front();  // a copy: kept for a retry if the store refuses it
        lock.unlock();
        const bool stored = write(*db, history, job);
        lock.lock();
        history_failing = !stored;
        if (!stored) {
          ++history_failures_;
          drained_.notify_all();
          if (!stopping_) {
            history_waits = true;
            break;
          }
          // Stopping: one more try was refused; what is left is dropped, and said so.
          error_ = "call history not written, the store kept refusing it (" +
                   std::to_string(queue_.size()) + " changes)";
          lost += queue_.size();
          written_ += queue_.size();
          queue_.clear();
          drained_.notify_all();
          break;
        }
        queue_.pop_front();
        ++written_;
        drained_.notify_all();
      }
      if (stopping_) {
        if (!timestamps_.empty() || !refused_probes_.empty())
          write_peer_records(*db, lock);  // a last try
        lost += timestamps_.size() + refused_probes_.size();
        if (lost > 0) report_health(true, lost, lock);
        return;
      }
      if (std::chrono::steady_clock::now() >= next_beat) {
        if (!timestamps_.empty() || !refused_probes_.empty())
          write_peer_records(*db, lock);  // a retry
        history_waits = false;
        next_beat += kHeartbeat;
        seen.clear();
        const std::int64_t now = unix_ms_now();
        for (auto& [id, open] : open_) {
          if (open.record.id == 0) continue;  // its first write is still to come
          open.record.last_seen_at = now;
          seen.push_back(open.record);
        }
        lock.unlock();
        std::optional<std::string> failure;
        try {
          history.touch(seen);
        } catch (const std::exception& e) {
          failure = std::string("cannot mark open calls as seen (will retry): ") + e.what();
        }
        lock.lock();
        touch_failing = failure.has_value();
        if (failure) error_ = std::move(failure);
      }
    }
  });
}

CallRecorder::~CallRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void CallRecorder::enqueue(const call::CallStats& stats) {
  if (unrecorded_.contains(stats.peer)) return;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{stats, unix_ms_now()});
    ++enqueued_;
  }
  wake_.notify_all();
}

void CallRecorder::on_initiation_timestamp(const crypto::PublicKey& peer,
                                           const crypto::Tai64n& timestamp) {
  {
    std::lock_guard lock(mutex_);
    auto [it, first] = timestamps_.try_emplace(peer, timestamp);
    if (!first && crypto::is_newer(timestamp, it->second)) it->second = timestamp;
    peer_records_ready_ = true;
  }
  wake_.notify_all();
  next_.on_initiation_timestamp(peer, timestamp);
}

void CallRecorder::on_probe_refused(const crypto::PublicKey& peer) {
  {
    std::lock_guard lock(mutex_);
    store::RefusedProbes& probes = refused_probes_[peer];
    ++probes.count;
    probes.last_at = unix_ms_now();
    peer_records_ready_ = true;
  }
  wake_.notify_all();
  next_.on_probe_refused(peer);
}

void CallRecorder::write_peer_records(store::Database& db, std::unique_lock<std::mutex>& lock) {
  auto batch = std::move(timestamps_);
  timestamps_.clear();
  auto probes = std::move(refused_probes_);
  refused_probes_.clear();
  peer_records_ready_ = false;
  lock.unlock();
  std::optional<std::string> failure;
  store::PeerStore peers(db);
  for (auto it = probes.begin(); it != probes.end();) {
    try {
      peers.add_refused_probes(it->first, it->second.count, it->second.last_at);
      it = probes.erase(it);
    } catch (const std::exception& e) {
      failure = e.what();
      ++it;
    }
  }
  for (auto it = batch.begin(); it != batch.end();) {
    try {
      // Refused when the store already holds a newer one (another run wrote it): fine.
      (void)peers.accept_handshake_timestamp(it->first, it->second);
      it = batch.erase(it);
    } catch (const std::exception& e) {
      failure = e.what();
      ++it;
    }
  }
  lock.lock();
  for (const auto& [peer, refused] : probes) {  // kept for the next retry, added to new ones
    store::RefusedProbes& waiting = refused_probes_[peer];
    waiting.count += refused.count;
    waiting.last_at = std::max(waiting.last_at, refused.last_at);
  }
  for (const auto& [peer, timestamp] : batch) {  // kept for the next retry, unless overtaken
    auto [it, first] = timestamps_.try_emplace(peer, timestamp);
    if (!first && crypto::is_newer(timestamp, it->second)) it->second = timestamp;
  }
  if (failure) error_ = "cannot record replay state or refused probes (will retry): " + *failure;
  peer_records_failing_ = failure.has_value();
  ++peer_record_attempts_;
  drained_.notify_all();
}

void CallRecorder::report_health(bool failing, std::size_t lost,
                                 std::unique_lock<std::mutex>& lock) {
  if (failing == health_.failing && lost == health_.lost) return;
  health_ = RecordsHealth{failing, failing ? error_.value_or("") : "",
                          queue_.size() + timestamps_.size() + refused_probes_.size(), lost};
  if (!on_health_) return;
  const RecordsHealth report = health_;
  lock.unlock();
  try {
    on_health_(report);
  } catch (const std::exception&) {
    // A failing warning must not stop the records: the state stays readable via health().
  }
  lock.lock();
}

RecordsHealth CallRecorder::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

std::size_t CallRecorder::unwritten_timestamps() const {
  std::lock_guard lock(mutex_);
  return timestamps_.size();
}

void CallRecorder::on_call_changed(const call::CallStats& snapshot) {
  enqueue(snapshot);
  next_.on_call_changed(snapshot);
}

void CallRecorder::on_call_ended(const call::CallStats& final_stats) {
  enqueue(final_stats);
  next_.on_call_ended(final_stats);
}

void CallRecorder::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = enqueued_;
  const std::uint64_t attempts = peer_record_attempts_;
  const std::uint64_t history_failures = history_failures_;
  const bool timestamps = !timestamps_.empty() || !refused_probes_.empty();
  if (timestamps) {
    peer_records_ready_ = true;  // one more attempt now, whether or not the last one failed
    wake_.notify_all();
  }
  // A store that refuses the history ends the wait too (it is retried later, not waited for).
  drained_.wait(lock, [&] {
    return (written_ >= target || history_failures_ > history_failures) &&
           (!timestamps || peer_record_attempts_ > attempts);
  });
}

std::optional<std::int64_t> CallRecorder::row_of(call::CallId id) const {
  std::lock_guard lock(mutex_);
  const auto it = rows_.find(id.value);
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> CallRecorder::last_error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

bool CallRecorder::write(store::Database& db, store::CallHistory& history, const Job& job) {
  const call::CallStats& s = job.stats;
  auto [it, first] = open_.try_emplace(s.id.value);
  OpenCall& open = it->second;
  store::CallRecord& r = open.record;
  if (first) {
    r.peer_name = s.peer;
    r.direction = s.direction == call::Direction::kIncoming ? store::CallDirection::kIn
                                                            : store::CallDirection::kOut;
    r.started_at = job.at_ms;
  }
  r.peer_fingerprint = s.peer_fingerprint;
  r.peer_verified = s.peer_verified;
  r.last_seen_at = job.at_ms;
  r.sas = s.sas;
  r.sas_confirmed_local = s.sas_confirmed_local;
  r.sas_confirmed_remote = s.sas_confirmed_remote;
  if (s.state == CallState::kConnected && !open.connected) {
    open.connected = true;
    r.answered_at = job.at_ms;
  }
  const bool ended = s.state == CallState::kEnded;
  if (ended) {
    r.ended_at = job.at_ms;
    r.outcome = outcome_of(s, open.connected);
    r.end_reason = std::string(call::to_string(s.end_reason));
    r.duration_s = s.duration_s;
    if (open.connected) r.quality = quality_of(s);
  }
  try {
    if (r.id == 0) {  // the first event, or its write was refused before
      r.id = history.begin(r);
      std::lock_guard lock(mutex_);
      rows_[s.id.value] = r.id;
    } else {
      history.update(r);
    }
    if (ended && s.end_reason == EndReason::kInterceptionSuspected && audit_ && !open.audited) {
      audit_interception(db, r, job.at_ms);
      open.audited = true;  // a retry after a refused history write adds no second entry
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    error_ = std::string("cannot write the call history (will retry): ") + e.what();
    return false;
  }
  if (ended) open_.erase(it);
  return true;
}

void CallRecorder::audit_interception(store::Database& db, const store::CallRecord& record,
                                      std::int64_t at_ms) const {
  const std::string details = admin::audit_details(
      record.direction == store::CallDirection::kIn ? admin::AuditDetail::kInterceptionIn
                                                    : admin::AuditDetail::kInterceptionOut,
      {std::to_string(record.id), record.peer_name, record.peer_fingerprint});
  store::AuditLog(db, audit_->console_key)
      .append("official", "console", kInterceptionAuditAction, details, at_ms,
              store::AuditAuthority{audit_->signer.get(), nullptr, audit_->epoch.get()});
}

}  // namespace hotline::console
