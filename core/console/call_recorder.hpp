#pragma once
// Puts every call the engine reports into the call history. It sits between the engine and
// the console's own listener: each event is forwarded unchanged, on the engine thread, and
// copied to a queue that a writer thread of its own drains into the store through its own
// database connection, so the engine thread never waits for the disk. A row is written when
// a call starts and rewritten at each change; while calls are open the writer marks them
// seen every kHeartbeat, which is the "last known time" an interrupted call is closed at.
// The engine's other records, each peer's newest initiation timestamp (replay state) and the
// count of a disabled peer's refused line-status probes, go the same way (only the newest
// timestamp and the sum of counts per peer are kept); the engine already holds the replay
// state in memory, so no call ever waits for it. A write the store refuses (locked by another
// process, full, read-only) stays queued and is retried every kHeartbeat. The console is told
// through RecordsHealth when the store starts refusing records, when everything that waited has
// been written, and — reported rather than dropped silently — what the store still refused when the
// recorder stopped.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "core/call/engine.hpp"
#include "core/crypto/identity.hpp"
#include "core/store/call_history.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/peer_store.hpp"

namespace hotline::console {

// The audit action of a call that ended as a suspected interception.
inline constexpr std::string_view kInterceptionAuditAction = "call.interception_suspected";

// The history outcome of a call the engine ended.
store::CallOutcome outcome_of(const call::CallStats& ended, bool was_connected);
// The quality summary of a connected call, from its final statistics.
store::CallQuality quality_of(const call::CallStats& stats);

// Whether the store takes the console's records. Reported when it starts refusing them and
// when everything that waited has been written.
struct RecordsHealth {
  bool failing = false;
  std::string problem;      // what the store said, with what could not be written
  std::size_t waiting = 0;  // records kept in memory for the next retry
  std::size_t lost = 0;     // records given up when the recorder stopped (never written)
};
using RecordsHealthHandler = std::function<void(const RecordsHealth&)>;

// Where the recorder puts what belongs on the audit log as well as in the history: a call
// ended as a suspected interception (the SAS words differed, or a commitment was broken).
struct RecorderAudit {
  crypto::PublicKey console_key;
  std::shared_ptr<const crypto::Identity> signer;    // the console's identity; null: unsigned
  std::shared_ptr<const store::HistoryEpoch> epoch;  // seals the entry's text
};
// One line for a log or a terminal: "warning: …", "note: …" or "error: …".
std::string describe(const RecordsHealth& health);

class CallRecorder final : public call::EngineListener {
 public:
  static constexpr std::chrono::seconds kHeartbeat{2};
  // The recorder retries at every beat, so waiting long for another process's lock would
  // only delay the other records and the console's stop.
  static constexpr std::chrono::milliseconds kBusyTimeout{500};

  // Opens its own connection to the database at `database` and seals the rows under `epoch`
  // (this start's). Calls with the peers named in `unrecorded` (service lines such as the
  // Echo Test) are forwarded but not recorded. `on_health` is called on the recorder's
  // thread, never with a lock held.
  CallRecorder(const std::filesystem::path& database,
               std::shared_ptr<const store::HistoryEpoch> epoch, call::EngineListener& next,
               std::set<std::string> unrecorded = {}, RecordsHealthHandler on_health = {},
               std::optional<RecorderAudit> audit = std::nullopt);
  ~CallRecorder() override;  // writes everything queued, then stops
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  void on_call_changed(const call::CallStats& snapshot) override;
  void on_call_ended(const call::CallStats& final_stats) override;
  void on_peer_status(const call::PeerStatus& status) override { next_.on_peer_status(status); }
  void on_initiation_timestamp(const crypto::PublicKey& peer,
                               const crypto::Tai64n& timestamp) override;
  void on_probe_refused(const crypto::PublicKey& peer) override;

  // Returns once every call event queued before the call is in the store and the replay state
  // waiting then has been tried once more (it stays queued if that failed).
  void flush();
  // The history row of an engine call, once written (nullopt before).
  std::optional<std::int64_t> row_of(call::CallId id) const;
  // The last store error, if writing failed (the console carries on; the CLI reports it).
  std::optional<std::string> last_error() const;
  // Replay-state records not yet in the store (waiting, or retried after a failure).
  std::size_t unwritten_timestamps() const;
  // As last reported to `on_health`.
  RecordsHealth health() const;

 private:
  struct Job {
    call::CallStats stats;
    std::int64_t at_ms = 0;
  };
  struct OpenCall {
    store::CallRecord record;
    bool connected = false;
    bool audited = false;  // its suspected interception is on the audit log
  };

  void enqueue(const call::CallStats& stats);
  // False when the store refused it (the job is then retried, unchanged).
  bool write(store::Database& db, store::CallHistory& history, const Job& job);
  // The audit entry of a call that ended as a suspected interception. Throws on a store error.
  void audit_interception(store::Database& db, const store::CallRecord& record,
                          std::int64_t at_ms) const;
  // The replay state and refused-probe counts waiting. Writer thread, with mutex_ held on
  // entry and exit (released while writing).
  void write_peer_records(store::Database& db, std::unique_lock<std::mutex>& lock);
  // Writer thread, mutex_ held: reports a change between refusing and taking records, or a
  // loss at stop.
  void report_health(bool failing, std::size_t lost, std::unique_lock<std::mutex>& lock);

  call::EngineListener& next_;
  const std::set<std::string> unrecorded_;
  const RecordsHealthHandler on_health_;
  const std::optional<RecorderAudit> audit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<Job> queue_;
  std::uint64_t enqueued_ = 0;
  std::uint64_t written_ = 0;
  bool stopping_ = false;
  std::map<std::uint64_t, std::int64_t> rows_;  // engine call id -> history row
  std::optional<std::string> error_;
  std::map<std::uint64_t, OpenCall> open_;                  // writer thread only
  std::map<crypto::PublicKey, crypto::Tai64n> timestamps_;  // newest per peer, not yet written
  std::map<crypto::PublicKey, store::RefusedProbes> refused_probes_;  // not yet written
  bool peer_records_ready_ = false;
  std::uint64_t peer_record_attempts_ = 0;
  std::uint64_t history_failures_ = 0;  // new ones arrived (failed ones wait for the heartbeat)
  bool peer_records_failing_ = false;   // the last write of replay state or probe counts failed
  RecordsHealth health_;
  std::thread thread_;
};

}  // namespace hotline::console
