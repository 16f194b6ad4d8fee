#pragma once
// Call history for operators: one row per call attempt, both directions, written when the
// call starts and rewritten at every change, so a console that dies mid-call loses nothing:
// the next console start marks the open row "interrupted", and it reads as ended at the last
// time it was seen. Rows copy the peer's name and fingerprint, so history outlives a removed
// peer. Times are unix milliseconds (UTC).
//
// Rows are sealed (sealed_call.hpp) under the writing start's epoch key (history_keys.hpp):
// the console writes them and reads back only its own start's; the roles read them all
// (history_records.hpp).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::store {

class Database;

enum class CallOutcome {
  kAnswered,        // connected, ended by a hang-up on either side
  kMissed,          // incoming, the caller gave up before it was answered
  kDeclined,        // declined by the callee (either side records it)
  kBusy,            // the callee was in another call
  kNoAnswer,        // outgoing, nobody answered within the ring timeout
  kUnreachable,     // outgoing, no handshake response
  kConnectionLost,  // the link died
  kRefused,         // the peer is disabled or removed on one side
  kFailed,          // a local problem (audio device, bad options)
  kInterrupted,     // the console stopped mid-call (crash, kill); closed at the next start
  kCancelled,       // outgoing, the caller hung up before an answer
};
inline constexpr std::size_t kCallOutcomeCount = 11;
// The end reason of a row close_interrupted() closed; every other end reason is the engine's
// (call::to_string(EndReason)).
inline constexpr std::string_view kConsoleStoppedReason = "console_stopped";
std::string_view to_string(CallOutcome outcome);
std::optional<CallOutcome> parse_call_outcome(std::string_view text);

enum class CallDirection { kIn, kOut };
std::string_view to_string(CallDirection direction);  // "in", "out"
std::optional<CallDirection> parse_call_direction(std::string_view text);

struct CallQuality {
  double mean_rtt_ms = 0;
  double loss_percent = 0;       // lost / (received + lost) voice frames
  double jitter_ms = 0;          // RFC 3550 interarrival jitter at the end
  double concealed_percent = 0;  // concealed / played samples
  std::int64_t fec_recovered = 0;
  std::int64_t interruptions = 0;  // concealment runs of 150 ms or more (call_stats.hpp)
  friend bool operator==(const CallQuality&, const CallQuality&) = default;
};

struct CallRecord {
  std::int64_t id = 0;  // assigned by CallHistory::begin
  std::string peer_name;
  std::string peer_fingerprint;
  bool peer_verified = false;  // at the time of the call
  CallDirection direction = CallDirection::kOut;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> answered_at;
  std::optional<std::int64_t> ended_at;  // nullopt: in progress (or interrupted, not yet closed)
  std::int64_t last_seen_at = 0;
  double duration_s = 0;               // connected time
  std::optional<CallOutcome> outcome;  // nullopt while in progress
  std::string end_reason;              // the engine's precise reason, e.g. "cancelled"
  std::string sas;
  bool sas_confirmed_local = false;    // our official confirmed reading the same words
  bool sas_confirmed_remote = false;   // the other side's official did
  std::optional<CallQuality> quality;  // once the call carried voice
  std::string note;                    // the operator's
  friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

enum class HistorySort { kStarted, kPeer, kDirection, kOutcome, kDuration };

struct HistoryFilter {
  std::optional<std::string> peer;    // exact name
  std::optional<std::int64_t> since;  // started_at >= since
  std::optional<std::int64_t> until;  // started_at < until
  std::optional<CallOutcome> outcome;
  std::optional<CallDirection> direction;
  // A substring of the peer's name or fingerprint, the SAS, the end reason or the note; case
  // does not matter for ASCII letters.
  std::optional<std::string> text;
  std::optional<std::int64_t> limit;  // most rows returned
  std::int64_t offset = 0;
  HistorySort sort = HistorySort::kStarted;
  bool ascending = false;  // default: newest first
};

struct HistoryEpoch;
struct RecordsKeys;

// The row states of `sealed_calls.state`.
enum class RowState { kEnded = 0, kOpen = 1, kInterrupted = 2 };

// What a running console writes: its own start's rows, under its epoch.
class CallHistory {
 public:
  CallHistory(Database& db, std::shared_ptr<const HistoryEpoch> epoch);

  // Inserts the row and returns its id. Throws hotline::Error for an empty peer name.
  std::int64_t begin(const CallRecord& record);
  // Rewrites every field but the note (an operator's, edited apart) of row `record.id`, one
  // of this start's. Throws hotline::Error "no call with id N" for any other.
  void update(const CallRecord& record);
  // The calls are still going on (their last_seen_at is what the records say), in one
  // transaction.
  void touch(std::span<const CallRecord> records);
  // This start's calls, newest first: what the official's recent list shows.
  std::vector<CallRecord> own_calls(std::int64_t limit);

  // Marks every open row interrupted (read as ended at its last_seen_at). Returns how many.
  static int close_interrupted(Database& db);

 private:
  std::optional<CallRecord> read_own(std::int64_t id);

  Database* db_;
  std::shared_ptr<const HistoryEpoch> epoch_;
};

// Rows of the clear `calls` table (schema v5 and earlier) move into `sealed_calls`, same ids,
// sealed under a new epoch to the roles (or held under the records key until one has a key);
// the clear rows are deleted (secure_delete zeroes them) and the write-ahead log truncated.
// Returns how many rows moved.
int seal_clear_history(Database& db, const RecordsKeys& keys, std::int64_t now_ms);

// A row marked interrupted reads as ended at its last_seen_at. `Call` is a CallRecord or the
// CallFields a reader of many rows keeps (sealed_call.hpp).
template <class Call>
void apply_state(Call& r, RowState state) {
  if (state != RowState::kInterrupted || r.ended_at) return;
  r.outcome = CallOutcome::kInterrupted;
  r.ended_at = r.last_seen_at;
  r.end_reason = kConsoleStoppedReason;
  r.duration_s =
      r.answered_at
          ? static_cast<double>(std::max<std::int64_t>(0, r.last_seen_at - *r.answered_at)) / 1000.0
          : 0.0;
}

}  // namespace hotline::store
