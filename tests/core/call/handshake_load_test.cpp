// Handshake floods (docs/protocol.md §3.7, docs/security.md "Denial of service") and what a
// responder does with a probe's purpose (§6.9), on the real protocol core in simulated time.
// The attacks of the protocol review: initiations with a valid mac1 from thousands of
// sources, some of them spoofing the genuine peer's own address, during a call; and a botnet
// that can receive at its own addresses, so it can answer cookies.

#include <catch2/catch_test_macros.hpp>

#include "core/crypto/cookie.hpp"
#include "core/crypto/mac.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/wire/wire.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using call::CallStats;
using call::EndReason;

namespace {

struct LoadedPair {
  test::SimNetwork net{7};
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  explicit LoadedPair(bool beijing_enabled = true) {
    beijing.add_peer(singapore);
    singapore.add_peer(beijing, beijing_enabled);
  }
  std::optional<CallStats> ringing_at_singapore(std::size_t from_event) const {
    for (std::size_t i = from_event; i < singapore.events().size(); ++i) {
      if (singapore.events()[i].state == CallState::kRinging) return singapore.events()[i];
    }
    return std::nullopt;
  }
  // Beijing calls and Singapore answers; both sides' ids. REQUIREs that it connects within 5 s.
  std::pair<call::CallId, call::CallId> connect() {
    const std::size_t events = singapore.events().size();
    const auto out = beijing.call("Singapore");
    REQUIRE(net.run_until([&] { return ringing_at_singapore(events).has_value(); }, 5s));
    const auto in = ringing_at_singapore(events)->id;
    singapore.answer(in);
    REQUIRE(net.run_until(
        [&] {
          const auto s = beijing.latest(out);
          return s && s->state == CallState::kConnected;
        },
        5s));
    return {out, in};
  }
};

// An initiation an attacker without any static key can make: random bytes with a valid mac1
// (Singapore's card is all it takes), and a valid mac2 when it holds a cookie for its source.
Bytes forged_initiation(const crypto::Mac1Key& mac, const std::optional<crypto::Cookie>& cookie) {
  Bytes packet(wire::kInitiationLen);
  randombytes_buf(packet.data(), packet.size());
  packet[0] = static_cast<std::uint8_t>(wire::MessageType::kInitiation);
  const auto m1 = crypto::compute_mac1(mac, ByteSpan(packet).first(wire::kInitiationMacOffset));
  std::copy(m1.begin(), m1.end(), packet.begin() + wire::kInitiationMacOffset);
  const auto m2 =
      cookie ? crypto::compute_mac2(*cookie, ByteSpan(packet).first(wire::kInitiationMac2Offset))
             : crypto::Mac2{};
  std::copy(m2.begin(), m2.end(), packet.begin() + wire::kInitiationMac2Offset);
  return packet;
}

asio::ip::udp::endpoint flood_source(std::uint32_t k) {
  // 10.1.0.0/16: no console's address, so none of them is a directory peer's.
  return {asio::ip::make_address_v4(0x0a010000u + k % 65536u), static_cast<unsigned short>(5000)};
}

std::uint64_t noise_reads(const call::EngineCounters& c) {
  // Forged initiations fail the Noise read; genuine ones pass it and are answered.
  return c.handshake_failures;
}

}  // namespace

TEST_CASE(
    "a handshake flood spoofing the genuine peer's address during a call: the call goes "
    "on, and the peer can still place a new call",
    "[call][flood]") {
  // The protocol review's attack on version 2: initiations with a valid mac1 from many
  // sources, among them Beijing's own address, used up Beijing's per-source allowance (and
  // the DH time of the voice thread), so Beijing's next call was refused as rate limited.
  LoadedPair p;
  auto& [net, beijing, singapore] = p;
  beijing.start();
  singapore.start();
  const auto [first_out, first_in] = p.connect();
  net.run_for(2s);

  const crypto::Mac1Key mac(singapore.identity().dh_public());
  constexpr int kPerSecond = 5'000;
  constexpr int kSources = 5'000;
  constexpr auto kFlood = 10s;
  const auto before = singapore.core().counters();
  std::uint64_t sent = 0;
  std::optional<call::CallId> second_out;
  for (int ms = 0; ms < std::chrono::duration_cast<std::chrono::milliseconds>(kFlood).count();
       ++ms) {
    for (int k = 0; k < kPerSecond / 1000; ++k, ++sent) {
      // One in five spoofs Beijing's own address and port; the rest come from 5 000 others.
      const auto from = sent % 5 == 0 ? beijing.address()
                                      : flood_source(static_cast<std::uint32_t>(sent % kSources));
      net.inject(forged_initiation(mac, std::nullopt), from, singapore.address());
    }
    net.run_for(1ms);
    if (ms == 4000) {  // mid-flood, Beijing hangs up and calls again
      beijing.hangup(first_out);
      second_out = beijing.call("Singapore");
    }
    if (second_out && ms > 4000) {
      for (const auto& e : singapore.events()) {
        if (e.state == CallState::kRinging && e.id.value != first_in.value &&
            singapore.latest(e.id)->state == CallState::kRinging) {
          singapore.answer(e.id);
        }
      }
    }
  }
  const auto after = singapore.core().counters();
  REQUIRE(second_out);
  const auto second = beijing.latest(*second_out);
  REQUIRE(second);
  CHECK(second->state == CallState::kConnected);  // placed and answered during the flood
  const auto first = singapore.latest(first_in);
  REQUIRE(first);
  CHECK(first->state == CallState::kEnded);
  CHECK(first->end_reason == EndReason::kRemoteHangup);  // not connection_lost
  CHECK(first->interruptions_of_link == 0);
  CHECK(first->media.voice_packets_received >= 250);  // 2 s before the flood, 4 s in it
  CHECK(first->media.lost <= first->media.voice_packets_received / 200);  // ≤ 0.5 %
  CHECK(first->media.interruptions == 0);

  // Past the load threshold every forged initiation cost a cookie reply, not a Diffie-Hellman.
  const auto cookies = after.cookie_replies_sent - before.cookie_replies_sent;
  const auto reads = noise_reads(after) - noise_reads(before);
  CHECK(reads <= static_cast<std::uint64_t>(wire::kInitiationBurstBeforeLoad));
  CHECK(cookies + reads + (after.rate_limited - before.rate_limited) >= sent);
  CHECK(beijing.core().counters().cookies_received >= 1);
  // Beijing was sent the cookie replies to the flood in its name, and dropped each one.
  CHECK(beijing.core().counters().unknown_index >= sent / 5 - 10);
}

TEST_CASE(
    "a botnet answering cookies at its own addresses is held to the global handshake "
    "budget, and the genuine peer still gets through",
    "[call][flood]") {
  LoadedPair p;
  auto& [net, beijing, singapore] = p;
  beijing.start();
  singapore.start();
  const crypto::Mac1Key mac(singapore.identity().dh_public());
  const crypto::CookieSealKey seal(singapore.identity().dh_public());
  // The bots receive at their addresses: the network hands them Singapore's cookie replies.
  std::map<std::string, crypto::Cookie> cookies;
  std::map<std::string, crypto::Mac1> mac1_sent;
  net.filter = [&](const test::SentDatagram& d) {
    if (d.from == "Singapore" && d.bytes.size() == wire::kCookieReplyLen &&
        mac1_sent.contains(d.to.address().to_string())) {
      const auto& m1 = mac1_sent[d.to.address().to_string()];
      crypto::CookieNonce nonce{};
      std::copy_n(d.bytes.begin() + wire::kCookieNonceOffset, nonce.size(), nonce.begin());
      if (auto c = crypto::open_cookie(seal, nonce,
                                       ByteSpan(d.bytes).subspan(wire::kCookieSealedOffset), m1)) {
        cookies[d.to.address().to_string()] = *c;
      }
    }
    return true;
  };
  constexpr std::uint32_t kBots = 200;
  constexpr auto kFlood = 5s;
  const auto before = singapore.core().counters();
  std::optional<call::CallId> out;
  for (int ms = 0; ms < std::chrono::duration_cast<std::chrono::milliseconds>(kFlood).count();
       ++ms) {
    // Each bot sends 10 initiations a second, the per-source limit: 2 000/s in all.
    for (std::uint32_t bot = 0; bot < kBots; ++bot) {
      if ((static_cast<std::uint32_t>(ms) + bot * 7) % 100 != 0) continue;
      const auto from = flood_source(bot);
      const auto key = from.address().to_string();
      const auto found = cookies.find(key);
      Bytes packet = forged_initiation(
          mac, found == cookies.end() ? std::nullopt : std::optional(found->second));
      std::copy_n(packet.begin() + wire::kInitiationMacOffset, wire::kMacLen,
                  mac1_sent[key].begin());
      net.inject(std::move(packet), from, singapore.address());
    }
    net.run_for(1ms);
    if (ms == 2500) out = beijing.call("Singapore");
  }
  const auto after = singapore.core().counters();
  const double seconds = std::chrono::duration<double>(kFlood).count();
  CHECK(cookies.size() == kBots);  // every bot answered its cookie
  // Noise reads of forged initiations: the budget's burst and rate, not the bots' 2 000/s.
  const auto reads = noise_reads(after) - noise_reads(before);
  CHECK(static_cast<double>(reads) <= wire::kInitiationBurstBeforeLoad + wire::kHandshakeBurst +
                                          wire::kHandshakesPerSecond * seconds);
  CHECK(after.over_handshake_budget - before.over_handshake_budget > 1000);
  // Beijing's address draws on no global budget: its call rang.
  REQUIRE(out);
  bool rang = false;
  for (const auto& e : singapore.events()) rang = rang || e.state == CallState::kRinging;
  CHECK(rang);
}

TEST_CASE("a disabled peer's line-status probes are counted, not recorded as refused calls",
          "[call][presence]") {
  // Version 2 recorded every probe from a disabled peer as a refused incoming call: about
  // 2 900 history rows a day from one console that merely showed its line status.
  LoadedPair p(/*beijing_enabled=*/false);
  auto& [net, beijing, singapore] = p;
  beijing.config().presence_interval = 30s;
  beijing.start();
  singapore.start();
  net.run_for(10min);
  const auto refused_calls = [&] {
    int n = 0;
    for (const auto& e : singapore.events()) {
      n += e.state == CallState::kEnded && e.end_reason == EndReason::kRefused;
    }
    return n;
  };
  CHECK(refused_calls() == 0);
  // About 20 probes of 3 initiations each, all refused without an answer.
  CHECK(singapore.core().counters().probes_refused >= 40);
  CHECK(singapore.core().counters().disabled_peer == singapore.core().counters().probes_refused);

  // A call from the same peer is still a refused call, once per attempt.
  const auto id = beijing.call("Singapore");
  REQUIRE(net.run_until([&] { return beijing.latest(id)->state == CallState::kEnded; }, 10s));
  CHECK(beijing.latest(id)->end_reason == EndReason::kUnreachable);
  CHECK(refused_calls() == 1);
}

TEST_CASE(
    "forged responses from someone on the path cost the caller at most a few Noise reads "
    "per initiation",
    "[call][flood]") {
  // Whoever sees an initiation knows its index and the caller's card, so it can make responses
  // that pass mac1 and the index check; each would cost the caller two X25519 operations on
  // its voice thread, as many as the attacker cares to send.
  LoadedPair p;
  auto& [net, beijing, singapore] = p;
  beijing.start();
  singapore.start();
  const crypto::Mac1Key beijing_mac(beijing.identity().dh_public());
  int initiations = 0;
  // The attacker is nearer than Singapore: its forgeries reach Beijing before the response.
  net.filter = [&](const test::SentDatagram& d) {
    if (d.from != "Beijing" || d.bytes.size() != wire::kInitiationLen) return true;
    ++initiations;
    for (int i = 0; i < 100; ++i) {
      Bytes response(wire::kResponseLen);
      randombytes_buf(response.data(), response.size());
      response[0] = static_cast<std::uint8_t>(wire::MessageType::kResponse);
      std::copy_n(d.bytes.begin() + wire::kInitiationSenderOffset, 4,
                  response.begin() + wire::kResponseReceiverOffset);
      const auto m =
          crypto::compute_mac1(beijing_mac, ByteSpan(response).first(wire::kResponseMacOffset));
      std::copy(m.begin(), m.end(), response.begin() + wire::kResponseMacOffset);
      net.inject(std::move(response), singapore.address(), beijing.address());
    }
    return true;
  };
  const auto id = beijing.call("Singapore");
  net.run_for(6s);  // the call's four initiations, a second apart, and its end
  const auto counters = beijing.core().counters();
  REQUIRE(initiations >= 1);
  CHECK(counters.handshake_failures <=
        static_cast<std::uint64_t>(initiations * wire::kMaxFailedResponseReads));
  CHECK(counters.rate_limited >= static_cast<std::uint64_t>(initiations * (100 - 5)));
  // The forgeries arrive before the genuine response (the attacker is nearer): this call
  // cannot be completed by them, and is unreachable rather than a busy voice thread.
  CHECK(beijing.latest(id)->state == CallState::kEnded);
}
