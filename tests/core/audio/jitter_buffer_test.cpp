#include "core/audio/jitter_buffer.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <optional>
#include <vector>

#include "core/util/error.hpp"

using namespace hotline;
using namespace hotline::audio;
using namespace std::chrono_literals;
using Clock = JitterBuffer::Clock;

namespace {

const Clock::time_point t0 = Clock::time_point{} + 1000h;

// A payload that says which frame it is.
Bytes payload(std::uint64_t seq) {
  Bytes p(80, 0x5A);
  for (int i = 0; i < 8; ++i)
    p[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seq >> (8 * i));
  return p;
}

std::uint64_t payload_seq(ByteSpan p) {
  return load_le64(p.data());
}

struct Arrival {
  std::uint64_t seq;
  Clock::time_point at;
};

// Sender emits frame k at t0 + k*20ms; the network adds 3 ms.
std::vector<Arrival> steady(std::uint64_t first, std::uint64_t count) {
  std::vector<Arrival> a;
  for (std::uint64_t k = first; k < first + count; ++k) a.push_back({k, t0 + k * 20ms + 3ms});
  return a;
}

void drop(std::vector<Arrival>& trace, std::uint64_t seq) {
  std::erase_if(trace, [seq](const Arrival& a) { return a.seq == seq; });
}

struct Played {
  PlayoutKind kind;
  std::uint64_t seq;
  std::optional<std::uint64_t> payload_seq;
};

// Feeds arrivals in time order and pops every 20 ms at t0 + k*20ms + 10ms.
std::vector<Played> run(JitterBuffer& jb, std::vector<Arrival> trace, std::size_t pops) {
  std::stable_sort(trace.begin(), trace.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  std::vector<Played> out;
  std::size_t next = 0;
  for (std::size_t k = 0; k < pops; ++k) {
    const Clock::time_point now = t0 + k * 20ms + 10ms;
    while (next < trace.size() && trace[next].at <= now) {
      jb.insert(trace[next].seq, payload(trace[next].seq), trace[next].at);
      ++next;
    }
    const Playout p = jb.pop(now);
    Played r{p.kind, p.seq, std::nullopt};
    if (!p.payload.empty()) r.payload_seq = payload_seq(p.payload);
    out.push_back(r);
  }
  return out;
}

std::size_t count(const std::vector<Played>& v, PlayoutKind kind) {
  return static_cast<std::size_t>(
      std::count_if(v.begin(), v.end(), [kind](const Played& p) { return p.kind == kind; }));
}

// Checks that frames/FEC/missing pops cover consecutive sequence numbers from `first`, and
// that each payload belongs to the right frame. Underruns wait on a frame without using it up;
// after n of them playout resumes at most n frames further on (the frames it skips were lost).
void check_consecutive(const std::vector<Played>& v, std::uint64_t first) {
  std::uint64_t expect = first;
  std::uint64_t underruns = 0;
  for (const Played& p : v) {
    if (p.kind == PlayoutKind::kNotStarted) continue;
    if (p.kind == PlayoutKind::kUnderrun) {
      REQUIRE(p.seq == expect);
      ++underruns;
      continue;
    }
    REQUIRE(p.seq >= expect);
    REQUIRE(p.seq <= expect + underruns);
    expect = p.seq;
    underruns = 0;
    if (p.kind == PlayoutKind::kFrame) REQUIRE(p.payload_seq == p.seq);
    if (p.kind == PlayoutKind::kFecFromNext) REQUIRE(p.payload_seq == p.seq + 1);
    if (p.kind == PlayoutKind::kMissing) REQUIRE_FALSE(p.payload_seq.has_value());
    ++expect;
  }
}

}  // namespace

TEST_CASE("jitter buffer plays a steady stream after buffering the target depth") {
  JitterBuffer jb(2);
  const auto played = run(jb, steady(0, 100), 100);
  // Pop 0 sees one frame (still buffering), pop 1 sees two and starts.
  CHECK(played[0].kind == PlayoutKind::kNotStarted);
  CHECK(played[1].kind == PlayoutKind::kFrame);
  CHECK(played[1].seq == 0);
  check_consecutive(played, 0);
  CHECK(count(played, PlayoutKind::kFrame) == 99);
  const auto s = jb.stats();
  CHECK(s.received == 100);
  CHECK(s.played == 99);
  CHECK(s.lost == 0);
  CHECK(s.late == 0);
  CHECK(s.duplicates == 0);
  CHECK(s.current_depth == 1);
  CHECK(s.mean_delay_ms == 27.0);  // one frame of buffering plus the 7 ms pop phase
}

TEST_CASE("jitter buffer target depth sets the delay") {
  JitterBuffer jb(4);
  const auto played = run(jb, steady(0, 100), 100);
  CHECK(count(played, PlayoutKind::kNotStarted) == 3);
  check_consecutive(played, 0);
  CHECK(jb.stats().mean_delay_ms == 67.0);
  CHECK(jb.stats().current_depth == 3);
}

TEST_CASE("jitter buffer puts reordered packets back in order") {
  JitterBuffer jb(3);
  auto trace = steady(0, 100);
  for (std::size_t i = 10; i + 1 < 90; i += 7) std::swap(trace[i].at, trace[i + 1].at);
  trace[50].at += 25ms;  // overtaken by 51
  const auto played = run(jb, trace, 100);
  check_consecutive(played, 0);
  CHECK(count(played, PlayoutKind::kFrame) == 98);
  CHECK(jb.stats().lost == 0);
  CHECK(jb.stats().late == 0);
}

TEST_CASE("jitter buffer drops duplicates, buffered or already played") {
  JitterBuffer jb(2);
  auto trace = steady(0, 60);
  for (std::uint64_t k = 0; k < 60; ++k) trace.push_back({k, t0 + k * 20ms + 5ms});  // buffered
  trace.push_back({20, t0 + 900ms});  // long after frame 20 played
  const auto played = run(jb, trace, 60);
  check_consecutive(played, 0);
  CHECK(count(played, PlayoutKind::kFrame) == 59);
  const auto s = jb.stats();
  CHECK(s.received == 121);
  CHECK(s.duplicates == 61);
  CHECK(s.late == 0);
  CHECK(s.lost == 0);
}

TEST_CASE("jitter buffer offers the next packet's FEC for a single loss") {
  JitterBuffer jb(2);
  auto trace = steady(0, 60);
  drop(trace, 20);
  const auto played = run(jb, trace, 60);
  check_consecutive(played, 0);
  const auto it =
      std::find_if(played.begin(), played.end(), [](const Played& p) { return p.seq == 20; });
  REQUIRE(it != played.end());
  CHECK(it->kind == PlayoutKind::kFecFromNext);
  CHECK(it->payload_seq == 21);
  CHECK((it + 1)->kind == PlayoutKind::kFrame);
  CHECK((it + 1)->seq == 21);
  CHECK(jb.stats().lost == 1);
  CHECK(jb.stats().underruns == 0);
}

TEST_CASE("jitter buffer conceals a burst and recovers its last frame with FEC") {
  JitterBuffer jb(2);
  auto trace = steady(0, 80);
  for (std::uint64_t k = 30; k <= 34; ++k) drop(trace, k);
  const auto played = run(jb, trace, 80);
  check_consecutive(played, 0);
  // Nothing is buffered at one frame of delay, so the gap is waited out as underruns until
  // the slot of frame 34, which the packet after it rebuilds.
  CHECK(count(played, PlayoutKind::kUnderrun) == 4);
  const auto fec = std::find_if(played.begin(), played.end(), [](const Played& p) {
    return p.kind == PlayoutKind::kFecFromNext;
  });
  REQUIRE(fec != played.end());
  CHECK(fec->seq == 34);
  CHECK(fec->payload_seq == 35);
  const auto s = jb.stats();
  CHECK(s.lost == 5);
  CHECK(s.played == 79 - 5);
}

TEST_CASE("jitter buffer counts packets that arrive after their playout as late") {
  JitterBuffer jb(2);
  auto trace = steady(0, 60);
  trace[25].at += 100ms;
  trace[40].at += 30ms;  // arrives while 41 is still buffered: FEC of 41 played instead
  const auto played = run(jb, trace, 60);
  check_consecutive(played, 0);
  const auto s = jb.stats();
  CHECK(s.late == 2);
  CHECK(s.lost == 2);  // both offered as FEC from the packet after them
  CHECK(count(played, PlayoutKind::kFecFromNext) == 2);
}

TEST_CASE("jitter buffer waits for a delayed burst instead of skipping it") {
  JitterBuffer jb(2);
  auto trace = steady(0, 100);
  // The path stalls: everything sent from 600 to 740 ms is delivered at once at 743 ms.
  for (std::uint64_t k = 30; k <= 37; ++k) trace[k].at = t0 + 743ms;
  const auto played = run(jb, trace, 100);
  check_consecutive(played, 0);
  const auto s = jb.stats();
  CHECK(s.lost == 0);
  CHECK(s.late == 0);
  CHECK(s.underruns == 6);  // frame 30 was due at 630 ms and came at 743 ms
  CHECK(s.played == 99 - 6);
  // The delay grew by the six frames waited: they are still buffered at the end.
  CHECK(s.current_depth == 1 + 6);
}

TEST_CASE("jitter buffer rides out a short outage and resumes at the first frame that came") {
  JitterBuffer jb(2);
  auto trace = steady(0, 100);
  for (std::uint64_t k = 40; k < 50; ++k) drop(trace, k);
  const auto played = run(jb, trace, 100);
  const auto s = jb.stats();
  CHECK(s.underruns == 9);  // waited from the pop frame 40 was due at until 50 arrived
  CHECK(s.lost == 10);      // 40..49, skipped when 50 came
  CHECK(s.resyncs == 0);
  std::vector<Played> before, after;
  for (const Played& p : played) (p.seq < 50 ? before : after).push_back(p);
  check_consecutive(before, 0);
  check_consecutive(after, 50);
  CHECK(after.front().kind == PlayoutKind::kFrame);
  CHECK(count(after, PlayoutKind::kFrame) == after.size());
}

TEST_CASE("jitter buffer resynchronises after a long outage") {
  JitterBuffer jb(JitterBufferConfig{.target_depth = 2, .slots = 64, .rebuffer_after_missing = 25});
  auto trace = steady(0, 50);
  const auto resumed = steady(150, 100);
  trace.insert(trace.end(), resumed.begin(), resumed.end());
  const auto played = run(jb, trace, 250);

  const auto s = jb.stats();
  CHECK(s.underruns == 25);  // concealed until giving up, then silent until the stream returns
  CHECK(s.lost == 0);        // a stream that resumes far ahead may have jumped: not counted
  CHECK(s.resyncs == 1);
  std::vector<Played> after;
  for (const Played& p : played) {
    if (p.seq >= 150) after.push_back(p);
  }
  REQUIRE_FALSE(after.empty());
  check_consecutive(after, 150);
  CHECK(count(after, PlayoutKind::kFrame) == after.size());
  // Back at the target delay: frame 150 arrived 3 ms after it was sent and plays 27 ms later.
  const auto first =
      std::find_if(played.begin(), played.end(), [](const Played& p) { return p.seq == 150; });
  CHECK(first - played.begin() == 151);
  CHECK(count(played, PlayoutKind::kNotStarted) == 1 + (150 - 75));
}

TEST_CASE("jitter buffer follows a sender whose counter restarted") {
  JitterBuffer live(2);
  std::vector<Arrival> trace;
  for (std::uint64_t k = 0; k < 40; ++k) trace.push_back({5000 + k, t0 + k * 20ms + 3ms});
  for (std::uint64_t k = 0; k < 40; ++k) trace.push_back({k, t0 + (40 + k) * 20ms + 3ms});
  const auto played = run(live, trace, 80);
  const auto s = live.stats();
  CHECK(s.late == 2);  // two far-behind packets before the restart is believed
  CHECK(s.resyncs == 1);
  std::vector<Played> after;
  for (const Played& p : played) {
    if (p.seq < 5000 && p.kind != PlayoutKind::kNotStarted) after.push_back(p);
  }
  REQUIRE(after.size() > 30);
  check_consecutive(after, 2);
}

TEST_CASE("jitter buffer resynchronises when the sender jumps ahead") {
  JitterBuffer jb(2);
  std::vector<Arrival> trace = steady(0, 30);
  for (std::uint64_t k = 30; k < 60; ++k) trace.push_back({k + 1000, t0 + k * 20ms + 3ms});
  const auto played = run(jb, trace, 60);
  CHECK(jb.stats().resyncs == 1);
  CHECK(played.back().kind == PlayoutKind::kFrame);
  CHECK(played.back().seq == 1058);
}

TEST_CASE("jitter buffer rejects empty and oversized payloads") {
  JitterBuffer jb(1);
  CHECK(jb.insert(1, {}, t0) == InsertResult::kInvalid);
  CHECK(jb.insert(1, Bytes(wire::kMaxOpusPayload + 1, 1), t0) == InsertResult::kInvalid);
  CHECK(jb.insert(1, Bytes(wire::kMaxOpusPayload, 1), t0) == InsertResult::kStored);
  CHECK(jb.insert(1, Bytes(3, 1), t0) == InsertResult::kDuplicate);
  CHECK(jb.stats().invalid == 2);
  const Playout p = jb.pop(t0);
  CHECK(p.kind == PlayoutKind::kFrame);
  CHECK(p.payload.size() == wire::kMaxOpusPayload);
  CHECK(jb.insert(0, Bytes(3, 1), t0) == InsertResult::kLate);
}

TEST_CASE("jitter buffer reset and configuration") {
  CHECK_THROWS_AS(JitterBuffer(0), Error);
  CHECK_THROWS_AS(JitterBuffer(64), Error);
  JitterBuffer jb(2);
  jb.insert(7, payload(7), t0);
  jb.insert(8, payload(8), t0);
  CHECK(jb.pop(t0).kind == PlayoutKind::kFrame);
  CHECK(jb.playing());
  jb.reset();
  CHECK_FALSE(jb.playing());
  CHECK(jb.stats().current_depth == 0);
  CHECK(jb.pop(t0).kind == PlayoutKind::kNotStarted);
  jb.set_target_depth(3);
  CHECK(jb.target_depth() == 3);
  jb.insert(100, payload(100), t0);
  jb.insert(101, payload(101), t0);
  CHECK(jb.pop(t0).kind == PlayoutKind::kNotStarted);
  jb.insert(102, payload(102), t0);
  const Playout p = jb.pop(t0);
  CHECK(p.kind == PlayoutKind::kFrame);
  CHECK(p.seq == 100);
}
