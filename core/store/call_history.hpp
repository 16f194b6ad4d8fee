#pragma once
// Call history for operators: one row per call attempt, both directions, written when the
// call starts and rewritten at every change, so a console that dies mid-call loses nothing:
// the next console start closes the open row as "interrupted" at the last time it was seen.
// Rows copy the peer's name and fingerprint, so history outlives a removed peer. Times are
// unix milliseconds (UTC).

#include <cstdint>
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
  std::int64_t interruptions = 0;  // concealment runs of 150 ms or more
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

class CallHistory {
 public:
  explicit CallHistory(Database& db) : db_(&db) {}

  // Inserts the row and returns its id. Throws hotline::Error for an empty peer name.
  std::int64_t begin(const CallRecord& record);
  // Rewrites every field but the note (an operator's, edited apart) of row `record.id`.
  void update(const CallRecord& record);
  // The calls are still going on at `now`.
  void touch(std::span<const std::int64_t> ids, std::int64_t now);
  // Closes every open row as interrupted, ended at its last_seen_at. Returns how many.
  int close_interrupted();

  std::vector<CallRecord> query(const HistoryFilter& filter);
  std::int64_t count(HistoryFilter filter);  // limit and offset ignored
  std::optional<CallRecord> get(std::int64_t id);
  // Throws hotline::Error "no call with id N" if absent.
  void set_note(std::int64_t id, std::string_view note);

 private:
  Database* db_;
};

}  // namespace hotline::store
