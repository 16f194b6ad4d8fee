// The per-peer secure link: sealing and opening, tampering, replay, reordering, truncation,
// and key rotation with old keys still opening late packets.

#include "core/call/link.hpp"

#include <sodium.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>

using namespace hotline;
using namespace std::chrono_literals;
using call::Clock;
using call::Link;
using call::Session;

namespace {

crypto::SecretKey random_key() {
  crypto::SecretKey k;
  randombytes_buf(k.data(), k.size());
  return k;
}

// A pair of sessions as one handshake would give them: a's send key is b's receive key.
std::pair<Session, Session> session_pair(std::uint32_t a_index, std::uint32_t b_index,
                                         Clock::time_point now) {
  auto k1 = random_key();
  auto k2 = random_key();
  Session a{{k1.clone(), k2.clone()}, a_index, b_index, now, {}, {}, {}, {}};
  Session b{{std::move(k2), std::move(k1)}, b_index, a_index, now, {}, {}, {}, {}};
  return {std::move(a), std::move(b)};
}

const asio::ip::udp::endpoint kNowhere(asio::ip::make_address("127.0.0.1"), 1);

struct Links {
  Link a{kNowhere};
  Link b{kNowhere};
  Clock::time_point now = Clock::now();
  Links() {
    auto [sa, sb] = session_pair(11, 22, now);
    a.install(std::move(sa), true);
    b.install(std::move(sb), false);
  }
  Bytes seal(Link& from, wire::MessageType type, std::string_view text) {
    Bytes out(wire::kMaxDatagram);
    const auto n = from.seal(type, as_bytes(text), out, now);
    out.resize(n);
    return out;
  }
  std::optional<Link::Opened> open(Link& to, const Bytes& packet) {
    const auto header = net::parse_transport_header(packet);
    if (!header) return std::nullopt;
    std::array<std::uint8_t, wire::kMaxDatagram> plain{};
    return to.open(*header, packet, plain, now);
  }
};

}  // namespace

TEST_CASE("sealed packets open on the other side and carry exactly 24 bytes of overhead") {
  Links l;
  const Bytes p = l.seal(l.a, wire::MessageType::kVoice, std::string(80, 'x'));
  CHECK(p.size() == 80 + wire::kTransportOverhead);
  const auto opened = l.open(l.b, p);
  REQUIRE(opened);
  CHECK(opened->type == wire::MessageType::kVoice);
  CHECK(opened->counter == 0);
  CHECK(opened->length == 80);
  CHECK(l.b.counters().packets_received == 1);
}

TEST_CASE("a tampered packet fails and changes nothing") {
  Links l;
  const Bytes good = l.seal(l.a, wire::MessageType::kVoice, "hello hotline");
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    CHECK_FALSE(l.open(l.b, bad));
  }
  CHECK(l.b.counters().packets_received == 0);
  CHECK_FALSE(l.b.last_received());
  CHECK(l.open(l.b, good));  // the genuine packet still opens: no state was consumed
}

TEST_CASE("replayed packets are dropped and counted; reordered ones are accepted") {
  Links l;
  std::vector<Bytes> packets;
  for (int i = 0; i < 10; ++i) packets.push_back(l.seal(l.a, wire::MessageType::kVoice, "frame"));
  CHECK(l.open(l.b, packets[5]));
  CHECK(l.open(l.b, packets[2]));  // late but inside the window
  CHECK_FALSE(l.open(l.b, packets[5]));
  CHECK_FALSE(l.open(l.b, packets[2]));
  CHECK(l.b.counters().replays_dropped == 2);
  for (int i : {9, 0, 1, 3, 4, 6, 7, 8}) CHECK(l.open(l.b, packets[i]));
}

TEST_CASE("packets too far behind the window are refused") {
  Links l;
  const Bytes first = l.seal(l.a, wire::MessageType::kVoice, "old");
  for (std::size_t i = 0; i < wire::kReplayWindowBits + 10; ++i) {
    REQUIRE(l.open(l.b, l.seal(l.a, wire::MessageType::kVoice, "new")));
  }
  CHECK_FALSE(l.open(l.b, first));
}

TEST_CASE("voice and control keep separate counters under one key") {
  Links l;
  const Bytes v = l.seal(l.a, wire::MessageType::kVoice, "voice");
  const Bytes c = l.seal(l.a, wire::MessageType::kControl, "control");
  REQUIRE(l.open(l.b, v));
  const auto opened = l.open(l.b, c);
  REQUIRE(opened);
  CHECK(opened->counter == 0);
  // Changing the type byte breaks authentication (the type is in the nonce and the AD).
  Bytes retyped = v;
  retyped[0] = static_cast<std::uint8_t>(wire::MessageType::kControl);
  CHECK_FALSE(l.open(l.b, retyped));
}

TEST_CASE("truncated and oversized packets are rejected before any crypto") {
  Links l;
  Bytes p = l.seal(l.a, wire::MessageType::kVoice, "x");
  p.resize(wire::kTransportOverhead - 1);
  CHECK_FALSE(net::parse_transport_header(p));
  Bytes big(wire::kMaxDatagram + 1, 0);
  big[0] = static_cast<std::uint8_t>(wire::MessageType::kVoice);
  CHECK_FALSE(net::parse_transport_header(big));
}

TEST_CASE("re-key: the responder switches when the initiator does, old keys open late packets") {
  Links l;
  REQUIRE(l.open(l.b, l.seal(l.a, wire::MessageType::kVoice, "first")));  // b may now send
  const Bytes in_flight = l.seal(l.a, wire::MessageType::kVoice, "sent on old keys");
  auto [sa, sb] = session_pair(33, 44, l.now);
  l.b.install(std::move(sb), false);  // responder: waits as `next`
  // The responder still sends on the old keys until the initiator uses the new ones.
  REQUIRE(l.open(l.a, l.seal(l.b, wire::MessageType::kVoice, "old keys")));
  l.a.install(std::move(sa), true);  // initiator: switches at once
  const Bytes on_new = l.seal(l.a, wire::MessageType::kVoice, "new keys");
  CHECK(net::parse_transport_header(on_new)->receiver_index == 44);
  REQUIRE(l.open(l.b, on_new));
  CHECK(l.open(l.b, in_flight));  // a late packet on the old keys still opens
  CHECK(l.open(l.a, l.seal(l.b, wire::MessageType::kVoice, "reply on new keys")));

  // After the grace period the old keys are wiped and their index retired.
  l.now += wire::kPreviousKeysKept + 1s;
  const auto retired = l.b.expire(l.now);
  CHECK(retired == std::vector<std::uint32_t>{22});
}

TEST_CASE("every replaced session's index is released, so the index map cannot grow") {
  // Regression: a session replaced before it expired (a newer initiation replacing one the
  // peer never switched to, re-keys faster than the previous keys' grace period) kept its
  // index in the core's map for the life of the console.
  Links l;
  auto [a1, b1] = session_pair(31, 41, l.now);
  auto [a2, b2] = session_pair(32, 42, l.now);
  // The responder's first session (22) still waits as `next`: the peer never used it.
  l.b.install(std::move(b1), false);                     // a newer initiation replaces it ...
  l.b.install(std::move(b2), false);                     // ... and another replaces that one
  CHECK(l.b.next_expiry() == Clock::time_point::min());  // released at the next tick
  CHECK(l.b.expire(l.now) == std::vector<std::uint32_t>{22, 41});
  CHECK(l.b.expire(l.now).empty());  // reported once

  // Initiator re-keying twice within the grace period: the first previous is displaced.
  auto [a3, b3] = session_pair(33, 43, l.now);
  l.a.install(std::move(a2), true);  // 11 becomes previous
  l.a.install(std::move(a3), true);  // 32 becomes previous, 11 released
  CHECK(l.a.expire(l.now) == std::vector<std::uint32_t>{11});
  // Everything still held or unreported is in local_indices(), for a link that is dropped.
  auto [a4, b4] = session_pair(34, 44, l.now);
  l.a.install(std::move(a4), true);  // 33 previous, 32 released
  auto held = l.a.local_indices();
  std::sort(held.begin(), held.end());
  CHECK(held == std::vector<std::uint32_t>{32, 33, 34});
}

TEST_CASE("keys past their lifetime neither seal nor open") {
  Links l;
  const Bytes p = l.seal(l.a, wire::MessageType::kVoice, "x");
  l.now += wire::kRejectAfter + 1s;
  CHECK_FALSE(l.open(l.b, p));
  CHECK(l.seal(l.a, wire::MessageType::kVoice, "y").empty());
}

TEST_CASE("counter reconstruction from the low 24 bits") {
  using net::reconstruct_counter;
  CHECK(reconstruct_counter(0, 5) == 5);
  CHECK(reconstruct_counter(1000, 990) == 990);
  CHECK(reconstruct_counter(0xFFFFF0, 0x000010) == 0x1000010);  // wrapped forward
  CHECK(reconstruct_counter(0x1000005, 0xFFFFFE) == 0xFFFFFE);  // slightly behind a wrap
  CHECK(reconstruct_counter(0x5000000, 0x123) == 0x5000123);
}
