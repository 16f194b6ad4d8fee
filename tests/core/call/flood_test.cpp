// Load at the listening port during a call: a junk flood (random packets of every type and
// genuine packets replayed) and a handshake flood from many sources. The call's audio must not
// be interrupted, the engine must stay responsive, every drop must be counted, and the rate
// limits must keep handshake work bounded while a legitimate call still connects.

#include <sodium.h>

#include <asio.hpp>
#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/crypto/mac.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/udp_relay.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using test::TestConsole;

namespace {

// Sanitizer builds handle each datagram several times slower; the floods are scaled so that
// they test the engine's drop path and rate limits rather than the instrumentation.
#if defined(__SANITIZE_THREAD__)
constexpr int kJunkPerSecond = 5'000;
constexpr int kFloodPerSecondPerSource = 500;
#elif defined(__SANITIZE_ADDRESS__)
constexpr int kJunkPerSecond = 20'000;
constexpr int kFloodPerSecondPerSource = 1'000;
#else
constexpr int kJunkPerSecond = 50'000;
constexpr int kFloodPerSecondPerSource = 2'000;
#endif

// Sends `make(i)` to `target` at `per_second`, in 1 ms batches on absolute deadlines, for
// `duration`; returns how many were sent. Each batch brings the total up to what is due by its
// deadline, so rates under 1 000/s work too.
template <typename Make>
std::uint64_t flood(asio::ip::udp::socket& socket, const asio::ip::udp::endpoint& target,
                    int per_second, std::chrono::milliseconds duration, Make make) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sent = 0;
  for (std::int64_t ms = 1; ms <= duration.count(); ++ms) {
    const auto due = static_cast<std::uint64_t>(per_second) * static_cast<std::uint64_t>(ms) / 1000;
    for (; sent < due; ++sent) {
      const ByteSpan packet = make(sent);
      asio::error_code ignored;  // a full socket buffer drops the datagram: part of a flood
      socket.send_to(asio::buffer(packet.data(), packet.size()), target, 0, ignored);
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds(ms));  // pacing only
  }
  return sent;
}

std::uint64_t counted_drops(const call::EngineCounters& c) {
  return c.malformed + c.mac_failures + c.rate_limited + c.handshake_failures + c.unknown_peer +
         c.disabled_peer + c.replayed_initiations + c.future_initiations + c.unknown_index +
         c.auth_failures + c.replays;
}

}  // namespace

TEST_CASE("a junk flood during a call: the audio is not interrupted and every drop is counted") {
  TestConsole a{"Beijing"}, b{"Singapore"};
  a.start();
  b.start();
  // Beijing's packets reach Singapore through a relay that keeps the last ones it carried.
  test::UdpRelay relay(net::to_udp(b.endpoint()), {}, 1);
  relay.start();
  a.add_peer(b, net::from_udp(relay.endpoint()));
  b.add_peer(a);
  const auto id = a.engine().call("Singapore", {});
  const auto id_b = b.answer_incoming().id;
  a.wait_state(CallState::kConnected);
  b.wait_state(CallState::kConnected);
  test::eventually(
      [&] { return relay.recent_packets(test::Direction::client_to_target).size() == 64; }, 10s,
      "genuine packets to replay");
  const auto genuine = relay.recent_packets(test::Direction::client_to_target);
  const auto before = b.engine().counters();

  asio::io_context io;
  asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::array<std::uint8_t, 200> junk{};
  std::atomic<std::uint64_t> sent{0};
  std::thread attacker([&] {
    sent = flood(socket, net::to_udp(b.endpoint()), kJunkPerSecond, 10s, [&](std::uint64_t i) {
      if (i % 4 == 3) return ByteSpan(genuine[i / 4 % genuine.size()]);  // replayed
      randombytes_buf(junk.data(), junk.size());
      // Every message type and unknown ones, at lengths that pass or fail the length checks.
      junk[0] = static_cast<std::uint8_t>(i % 6);
      const std::size_t length = i % 4 == 1 ? wire::kInitiationLen : 1 + i % junk.size();
      if (i % 4 == 1) junk[0] = static_cast<std::uint8_t>(wire::MessageType::kInitiation);
      return ByteSpan(junk.data(), length);
    });
  });
  // Responsiveness: mute and unmute the callee during the flood; each change must come back
  // as an event from the engine thread. The slowest round trip is reported.
  std::chrono::steady_clock::duration slowest{};
  for (int k = 0; k < 8; ++k) {
    std::this_thread::sleep_for(1s);
    const bool mute = k % 2 == 0;
    const auto asked = std::chrono::steady_clock::now();
    b.engine().set_muted(id_b, mute);
    test::eventually([&] { return b.engine().call_stats(id_b)->muted == mute; }, 5s,
                     "the engine to act on mute during the flood");
    slowest = std::max(slowest, std::chrono::steady_clock::now() - asked);
  }
  attacker.join();
  std::this_thread::sleep_for(500ms);  // let the last of the flood drain before counting

  const auto after = b.engine().counters();
  const auto stats_b = *b.engine().call_stats(id_b);
  a.engine().hangup(id);
  const auto end_b = b.wait_ended();
  const std::uint64_t read = after.datagrams_received - before.datagrams_received;
  const std::uint64_t dropped = counted_drops(after) - counted_drops(before);
  const std::uint64_t replays = after.replays - before.replays;
  WARN("junk flood: " << sent << " packets in 10 s (" << kJunkPerSecond << "/s asked); " << read
                      << " reached the engine and " << dropped << " were dropped and counted ("
                      << replays << " of them replays, refused after authentication, the rest "
                      << "before any DH); the call lost " << end_b.media.lost
                      << " frames; slowest mute "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count()
                      << " ms");
  CHECK(stats_b.state == CallState::kConnected);
  CHECK_REALTIME(end_b.interruptions_of_link == 0);
  // No run of concealment long enough to hear as a gap.
  CHECK_REALTIME(end_b.media.interruptions == 0);
  CHECK(end_b.link.roams == 0);  // replays from elsewhere did not move the call
  CHECK(after.handshake_failures == before.handshake_failures);  // no random junk reached a DH
  CHECK(end_b.link.replays_dropped >= replays);                  // the call's link counted them too
  CHECK(replays > 0);
  // Every datagram the engine read is a counted drop or was the call's own traffic.
  CHECK(read >= dropped);
  CHECK(read - dropped <= end_b.link.packets_received);
  CHECK_REALTIME(dropped > sent / 2);  // most of the flood reached the engine, and was counted
}

TEST_CASE("a handshake flood from many sources: rate limits hold and a real call connects") {
  TestConsole a{"Beijing"}, b{"Singapore"};
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
  // Initiations that pass mac1 (anyone who knows Singapore's public key can compute it) from
  // eight loopback addresses, none of them Beijing's: each costs a DH, so each source must be
  // held to its rate.
  const crypto::Mac1Key mac(b.identity().dh_public());
  asio::io_context io;
  std::vector<asio::ip::udp::socket> sources;
  for (int k = 2; k < 10; ++k) {
    const auto address = asio::ip::make_address("127.0.0." + std::to_string(k));
    sources.emplace_back(io, asio::ip::udp::endpoint(address, 0));
  }
  constexpr auto kFlood = 6s;
  const auto before = b.engine().counters();
  const auto flood_started = std::chrono::steady_clock::now();
  std::vector<std::thread> attackers;
  std::atomic<std::uint64_t> sent{0};
  for (auto& socket : sources) {
    attackers.emplace_back([&] {
      std::array<std::uint8_t, wire::kInitiationLen> packet{};
      sent += flood(
          socket, net::to_udp(b.endpoint()), kFloodPerSecondPerSource, kFlood, [&](std::uint64_t) {
            randombytes_buf(packet.data(), packet.size());
            packet[0] = static_cast<std::uint8_t>(wire::MessageType::kInitiation);
            const auto m =
                crypto::compute_mac1(mac, ByteSpan(packet.data(), wire::kInitiationMacOffset));
            std::copy(m.begin(), m.end(), packet.begin() + wire::kInitiationMacOffset);
            return ByteSpan(packet);
          });
    });
  }
  std::this_thread::sleep_for(1s);  // the flood is under way
  const auto dialled = std::chrono::steady_clock::now();
  const auto id = a.engine().call("Singapore", {});
  b.answer_incoming();
  a.wait_state(CallState::kConnected);
  const auto connected = std::chrono::steady_clock::now();
  for (auto& t : attackers) t.join();
  // On a starved machine the attackers' batches run late and the flood outlasts kFlood.
  const auto flood_lasted = std::chrono::steady_clock::now() - flood_started;
  std::this_thread::sleep_for(500ms);
  const auto after = b.engine().counters();
  a.engine().hangup(id);
  b.wait_ended();

  const auto noise_reads = after.handshake_failures - before.handshake_failures;
  const auto limited = after.rate_limited - before.rate_limited;
  WARN("handshake flood: "
       << sent << " initiations with a valid mac1 from 8 sources in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(flood_lasted).count() << " ms; "
       << limited << " refused by the rate limit, " << noise_reads
       << " reached a Noise read; the real call connected in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(connected - dialled).count()
       << " ms");
  // Each source gets its burst and then its rate for as long as the flood lasted, with 2 s for
  // the datagrams still queued when it stopped, whatever it sends.
  const double allowed_per_source = wire::kInitiationBurstPerSource +
                                    wire::kInitiationsPerSecondPerSource *
                                        std::chrono::duration<double>(flood_lasted + 2s).count();
  CHECK(static_cast<double>(noise_reads) <= 8 * allowed_per_source);
  CHECK(noise_reads > 0);  // the flood did get as far as the limit allows
  CHECK_REALTIME(limited > sent / 2);
}
