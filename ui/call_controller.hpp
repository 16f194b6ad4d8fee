#pragma once
// The calls as the GUI thread knows them: the call in progress (there is at most one), the
// missed calls not yet seen, and each peer's line status. Engine events are posted here from
// the engine thread (EngineEvents) and applied on the GUI thread; the official's actions go
// straight to the engine, whose API posts them to its own thread and never blocks.

#include <QObject>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>

#include "core/call/engine.hpp"
#include "core/console/call_recorder.hpp"
#include "core/store/directory_seal.hpp"

Q_DECLARE_METATYPE(hotline::call::CallStats)

namespace hotline::ui {

class CallController : public QObject {
  Q_OBJECT

 public:
  explicit CallController(QObject* parent = nullptr);

  void attach(call::Engine* engine, call::CallOptions defaults);
  void set_call_options(call::CallOptions options) { options_ = options; }

  void call(const QString& peer);
  void answer();
  void decline();
  void hangup();  // also cancels an unanswered outgoing call
  void set_muted(bool muted);
  void confirm_sas();
  // The officials read different words: ends the call on both sides as a suspected
  // interception.
  void report_sas_mismatch();
  void set_volume(double volume);

  // The call in progress (dialling, ringing or connected), as last reported.
  const std::optional<call::CallStats>& active() const { return active_; }
  // Its live figures (levels, quality), refreshed by the engine every 100 ms.
  std::optional<call::CallStats> live_stats() const;
  bool ringing_incoming() const;
  int missed() const { return missed_; }
  void mark_missed_seen();
  std::optional<call::PeerStatus> status_of(const QString& peer) const;
  // Whether the store takes the console's records (calls go on either way).
  const console::RecordsHealth& records_health() const { return records_; }
  // The peer directory's edits made outside the console, in plain words; empty when sealed.
  const QStringList& directory_tampering() const { return tampering_; }
  // Which role's call-history key was changed in the file, in plain words; empty when none.
  const QStringList& history_key_problems() const { return history_key_problems_; }

  // From EngineEvents, on the GUI thread.
  void apply_changed(const call::CallStats& stats);
  void apply_ended(const call::CallStats& stats);
  void apply_status(const call::PeerStatus& status);
  void apply_records_health(const console::RecordsHealth& health);
  void apply_directory_tampering(const QStringList& problems);
  void apply_history_key_problems(const QStringList& problems);

 signals:
  void activeChanged();
  void incomingCall(const hotline::call::CallStats& stats);
  void callEnded(const hotline::call::CallStats& stats);
  void missedChanged(int count);
  void peerStatusChanged(const QString& peer);
  void recordsHealthChanged();
  void directoryTamperingChanged();
  void historyKeyProblemsChanged();
  // Another process changed the directory or the settings; the engine already has them.
  void storeChanged();

 private:
  call::Engine* engine_ = nullptr;
  call::CallOptions options_;
  std::optional<call::CallStats> active_;
  int missed_ = 0;
  std::map<QString, call::PeerStatus> statuses_;
  console::RecordsHealth records_;
  QStringList tampering_;
  QStringList history_key_problems_;
};

// The engine's listener: every event is posted to the controller's thread unchanged.
class EngineEvents final : public call::EngineListener {
 public:
  explicit EngineEvents(CallController& controller) : controller_(controller) {}
  void on_call_changed(const call::CallStats& s) override;
  void on_call_ended(const call::CallStats& s) override;
  void on_peer_status(const call::PeerStatus& s) override;
  // Not engine events: the recorder's and the database watcher's, on their own threads.
  void on_records_health(const console::RecordsHealth& h);
  void on_store_changed();
  void on_directory_checked(const std::vector<store::DirectoryFinding>& tampered);
  void on_history_keys_checked(const std::vector<std::string>& problems);

 private:
  CallController& controller_;
};

}  // namespace hotline::ui
