// Load at the listening port during a call: a junk flood (random packets of every type and
// genuine packets replayed) and a handshake flood from many sources. The call's audio must not
// be interrupted, the engine must stay responsive, every drop must be counted, and the rate
// limits must keep handshake work bounded while a legitimate call still connects.

#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio.hpp>
#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
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
constexpr int kManySourcesPerSecond = 1'000;
#elif defined(__SANITIZE_ADDRESS__)
constexpr int kJunkPerSecond = 20'000;
constexpr int kFloodPerSecondPerSource = 1'000;
constexpr int kManySourcesPerSecond = 2'500;
#else
constexpr int kJunkPerSecond = 50'000;
constexpr int kFloodPerSecondPerSource = 2'000;
constexpr int kManySourcesPerSecond = 5'000;
#endif

// Sends from any loopback address (127.0.0.0/8 is all local) on one socket: the source of each
// datagram is chosen with IP_PKTINFO, so thousands of sources need no thousands of sockets.
class LoopbackSprayer {
 public:
  LoopbackSprayer() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) { REQUIRE(fd_ >= 0); }
  ~LoopbackSprayer() { ::close(fd_); }
  LoopbackSprayer(const LoopbackSprayer&) = delete;
  LoopbackSprayer& operator=(const LoopbackSprayer&) = delete;

  void send(ByteSpan packet, std::uint32_t source_host_order, const asio::ip::udp::endpoint& to) {
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(to.port());
    target.sin_addr.s_addr = htonl(to.address().to_v4().to_uint());
    iovec iov{const_cast<std::uint8_t*>(packet.data()), packet.size()};
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
    msghdr msg{};
    msg.msg_name = &target;
    msg.msg_namelen = sizeof(target);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
    in_pktinfo info{};
    info.ipi_spec_dst.s_addr = htonl(source_host_order);
    std::memcpy(CMSG_DATA(c), &info, sizeof(info));
    if (::sendmsg(fd_, &msg, 0) >= 0) ++sent_;  // a full buffer drops it: part of a flood
  }
  std::uint64_t sent() const { return sent_; }

 private:
  int fd_;
  std::uint64_t sent_ = 0;
};

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

// CPU seconds the engine threads of this process ("hotline-engine") have used so far.
double engine_cpu_seconds() {
  double total = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name != "hotline-engine") continue;
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the parenthesised name: state is 3rd, utime 14th, stime 15th.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i >= 14) ticks += std::stod(field);
    }
    total += ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return total;
}

std::uint64_t counted_drops(const call::EngineCounters& c) {
  return c.malformed + c.mac_failures + c.rate_limited + c.handshake_failures + c.unknown_peer +
         c.disabled_peer + c.replayed_initiations + c.future_initiations + c.unknown_index +
         c.auth_failures + c.replays + c.cookie_replies_sent + c.over_handshake_budget;
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

TEST_CASE("a handshake flood from many sources: cookies and limits hold and a real call connects") {
  TestConsole a{"Beijing"}, b{"Singapore"};
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
  // Initiations that pass mac1 (anyone who knows Singapore's public key can compute it) from
  // eight loopback addresses, none of them Beijing's: each would cost a DH. Past the load
  // threshold Singapore answers them with cookie replies, which the flood never uses, so only
  // the burst before load reaches a Noise read; Beijing's call proves its address with mac2.
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
  const auto cookies = after.cookie_replies_sent - before.cookie_replies_sent;
  WARN("handshake flood: "
       << sent << " initiations with a valid mac1 from 8 sources in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(flood_lasted).count() << " ms; "
       << cookies << " answered with a cookie reply, " << limited << " refused by the rate limit, "
       << noise_reads << " reached a Noise read; the real call connected in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(connected - dialled).count()
       << " ms, after " << a.engine().counters().cookies_received << " cookie(s)");
  // Only what came before the load threshold was reached can have cost a Diffie-Hellman;
  // after it, each flood packet cost a cookie reply.
  CHECK(static_cast<double>(noise_reads) <= wire::kInitiationBurstBeforeLoad);
  CHECK(noise_reads > 0);  // the flood did get as far as the threshold allows
  CHECK_REALTIME(cookies > sent / 2);
  CHECK(a.engine().counters().cookies_received >= 1);  // Beijing proved its address
  CHECK(after.over_handshake_budget == before.over_handshake_budget);
}

TEST_CASE(
    "an initiation flood from 5 000 sources during a call: no interruption, and the peer "
    "places a new call during it (docs/performance.md)") {
  // The goal of the protocol review's item 4: 5 000 initiations a second from 5 000 sources
  // for 10 s, each with a valid mac1, at a console in a call.
  TestConsole a{"Beijing"}, b{"Singapore"};
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
  const auto first = a.engine().call("Singapore", {});
  const auto first_b = b.answer_incoming().id;
  a.wait_state(CallState::kConnected);
  const crypto::Mac1Key mac(b.identity().dh_public());
  const auto target = net::to_udp(b.endpoint());
  const double cpu_quiet_start = engine_cpu_seconds();
  std::this_thread::sleep_for(3s);  // the call's own cost, for comparison
  const double cpu_quiet = engine_cpu_seconds() - cpu_quiet_start;
  const auto before = b.engine().counters();
  constexpr auto kFlood = 10s;
  std::atomic<std::uint64_t> sent{0};
  std::thread attacker([&] {
    LoopbackSprayer sprayer;
    std::array<std::uint8_t, wire::kInitiationLen> packet{};
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t n = 0;
    for (std::int64_t ms = 1; ms <= std::chrono::milliseconds(kFlood).count(); ++ms) {
      for (const auto due = static_cast<std::uint64_t>(kManySourcesPerSecond) * ms / 1000; n < due;
           ++n) {
        randombytes_buf(packet.data(), packet.size());
        packet[0] = static_cast<std::uint8_t>(wire::MessageType::kInitiation);
        const auto m =
            crypto::compute_mac1(mac, ByteSpan(packet.data(), wire::kInitiationMacOffset));
        std::copy(m.begin(), m.end(), packet.begin() + wire::kInitiationMacOffset);
        // 127.1.0.1 .. 127.1.19.250: 5 000 sources, none of them Beijing's 127.0.0.1.
        const auto k = static_cast<std::uint32_t>(n % 5'000);
        sprayer.send(packet, 0x7f010000u + (k / 250) * 256 + k % 250 + 1, target);
      }
      std::this_thread::sleep_until(start + std::chrono::milliseconds(ms));  // pacing only
    }
    sent = sprayer.sent();
  });
  const double cpu_flood_start = engine_cpu_seconds();
  std::this_thread::sleep_for(3s);
  const double cpu_flood = engine_cpu_seconds() - cpu_flood_start;
  std::this_thread::sleep_for(1s);
  a.engine().hangup(first);
  b.wait_ended();
  const auto redialled = std::chrono::steady_clock::now();
  const auto second = a.engine().call("Singapore", {});
  const auto ringing = b.wait_for(
      [&](const call::CallStats& s) { return s.state == CallState::kRinging && s.id != first_b; });
  b.engine().answer(ringing.id);
  const auto connected_stats = a.wait_for(
      [&](const call::CallStats& s) { return s.id == second && s.state == CallState::kConnected; });
  const auto connected = std::chrono::steady_clock::now();
  attacker.join();
  std::this_thread::sleep_for(500ms);
  const auto after = b.engine().counters();
  const auto second_b = *b.engine().call_stats(ringing.id);
  a.engine().hangup(second);
  const auto end_b = b.wait_for(
      [&](const call::CallStats& s) { return s.id == ringing.id && s.state == CallState::kEnded; });
  const auto first_end = b.wait_for(
      [&](const call::CallStats& s) { return s.id == first_b && s.state == CallState::kEnded; });
  const auto lost = first_end.media.lost + end_b.media.lost;
  const auto received = first_end.media.voice_packets_received + end_b.media.voice_packets_received;
  WARN("initiation flood: "
       << sent << " initiations with a valid mac1 from 5 000 sources in 10 s ("
       << kManySourcesPerSecond << "/s asked); "
       << after.cookie_replies_sent - before.cookie_replies_sent
       << " answered with a cookie reply, " << after.handshake_failures - before.handshake_failures
       << " reached a Noise read; the calls lost " << lost << " of " << received + lost
       << " frames, " << first_end.media.interruptions + end_b.media.interruptions
       << " interruptions; the new call connected "
       << std::chrono::duration_cast<std::chrono::milliseconds>(connected - redialled).count()
       << " ms after it was dialled; both engine threads used " << 100 * cpu_quiet / 3
       << " % of a core in the call before the flood, " << 100 * cpu_flood / 3 << " % during it");
  CHECK(connected_stats.state == CallState::kConnected);
  CHECK(second_b.state == CallState::kConnected);
  CHECK(first_end.end_reason == call::EndReason::kRemoteHangup);
  CHECK(after.handshake_failures - before.handshake_failures <=
        static_cast<std::uint64_t>(wire::kInitiationBurstBeforeLoad));
  CHECK_REALTIME(first_end.interruptions_of_link == 0);
  CHECK_REALTIME(end_b.interruptions_of_link == 0);
  CHECK_REALTIME(first_end.media.interruptions + end_b.media.interruptions == 0);
  CHECK_REALTIME(lost * 200 <= received + lost);  // ≤ 0.5 %
  CHECK_REALTIME(after.cookie_replies_sent - before.cookie_replies_sent > sent / 2);
}
