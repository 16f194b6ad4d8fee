// The SAS grinding attack of the protocol review (docs/security.md, "The SAS cannot be ground"):
// a man in the middle who holds both consoles' static keys and their pre-shared key runs one
// handshake with each console. With a SAS taken from the handshake alone it could pick its
// contributions after seeing the consoles' until both showed the same words (2^32 tries
// offline). Now each side adds a nonce, and the caller commits to its own before it sees the
// callee's. Performed here on the real core in simulated time: the attacker terminates both
// handshakes, relays every packet re-sealed, and tries to choose the caller's nonce after
// seeing the callee's.

#include <catch2/catch_test_macros.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "core/crypto/fingerprint.hpp"
#include "core/net/control_message.hpp"
#include "core/net/transport.hpp"
#include "tests/support/key_holding_attacker.hpp"

using namespace std::chrono_literals;
using hotline::Bytes;
using hotline::call::CallState;
using hotline::call::CallStats;
using hotline::call::EndReason;
using hotline::test::is_message;
using hotline::test::KeyHoldingAttacker;
using hotline::test::PskConsolePair;
using hotline::test::SentDatagram;
using hotline::test::SimConsole;
using hotline::test::SimNetwork;
namespace crypto = hotline::crypto;
namespace net = hotline::net;
namespace wire = hotline::wire;

namespace {

// In the middle of both handshakes from the first packet on. Every transport packet is opened
// with one half's keys and sealed again with the other's; `rewrite` may change a control
// message on its way.
struct ManInTheMiddle {
  ManInTheMiddle(const SimConsole& caller, const SimConsole& callee,
                 std::shared_ptr<const crypto::SecretKey> psk, SimNetwork& network)
      : middle(caller, callee, std::move(psk), network), net(network) {}

  KeyHoldingAttacker middle;
  SimNetwork& net;
  std::function<void(const std::string& from, net::ControlMessage&)> rewrite;
  int relayed = 0;

  bool on_wire(const SentDatagram& d) {
    if (d.from == "Beijing" && is_message(d, wire::MessageType::kInitiation)) {
      middle.intercept_initiation(d.bytes);
    } else if (!middle.take_response(d) && (is_message(d, wire::MessageType::kVoice) ||
                                            is_message(d, wire::MessageType::kControl))) {
      relay(d);
    }
    return false;  // nothing passes untouched
  }

  void relay(const SentDatagram& d) {
    const bool from_beijing = d.from == "Beijing";
    const auto& in = from_beijing ? middle.with_caller : middle.with_callee;
    const auto& out = from_beijing ? middle.with_callee : middle.with_caller;
    const auto header = net::parse_transport_header(d.bytes);
    if (!header || !in || !out) return;
    std::array<std::uint8_t, wire::kMaxDatagram> plain{};
    std::size_t length = 0;
    // Counters stay small in this test: the low 24 bits are the whole counter.
    if (!net::open_transport(d.bytes, header->counter_low, in->keys.recv, plain, length)) return;
    Bytes payload(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(length));
    if (header->type == wire::MessageType::kControl && rewrite) {
      auto message = net::decode_control(payload);
      REQUIRE(message);
      rewrite(d.from, *message);
      payload = net::encode_control(*message, length);
    }
    Bytes sealed(payload.size() + wire::kTransportOverhead);
    const std::size_t n = net::seal_transport(header->type, out->remote_index, header->counter_low,
                                              out->keys.send, payload, sealed);
    sealed.resize(n);
    ++relayed;
    const SimConsole& to = from_beijing ? middle.callee : middle.caller;
    const SimConsole& from = from_beijing ? middle.caller : middle.callee;
    net.inject(std::move(sealed), from.address(), to.address());
  }
};

// Two consoles that know each other, started; no attacker.
struct StartedPair {
  StartedPair() {
    beijing.add_peer(singapore);
    singapore.add_peer(beijing);
    beijing.start();
    singapore.start();
  }
  SimNetwork net;
  SimConsole& beijing = net.add_console("Beijing");
  SimConsole& singapore = net.add_console("Singapore");
};

struct Scene {
  PskConsolePair pair;
  SimNetwork& net = pair.net;
  SimConsole& beijing = pair.beijing;
  SimConsole& singapore = pair.singapore;
  ManInTheMiddle attacker{beijing, singapore, pair.psk, net};

  Scene() {
    net.filter = [this](const SentDatagram& d) { return attacker.on_wire(d); };
  }

  std::optional<CallStats> incoming() const {
    return singapore.find(
        [](const CallStats& s) { return s.direction == hotline::call::Direction::kIncoming; });
  }
};

}  // namespace

TEST_CASE("SAS: a man in the middle who relays both nonces faithfully shows different words",
          "[call][attack][sas]") {
  Scene scene;
  const auto id = scene.beijing.call("Singapore");
  REQUIRE(scene.net.run_until([&] { return scene.incoming().has_value(); }, 5s));
  scene.singapore.answer(scene.incoming()->id);
  const auto callee_id = scene.incoming()->id;
  REQUIRE(scene.net.run_until(
      [&] {
        return scene.beijing.latest(id)->state == CallState::kConnected &&
               !scene.singapore.latest(callee_id)->sas.empty();
      },
      5s));
  scene.net.run_for(1s);
  const CallStats caller = *scene.beijing.latest(id);
  const CallStats callee = *scene.singapore.latest(callee_id);
  INFO("caller's words " << caller.sas << ", callee's " << callee.sas);
  CHECK(scene.attacker.relayed > 50);  // the call runs through the attacker
  REQUIRE_FALSE(caller.sas.empty());
  // The two handshakes differ, so the words do: the officials hear the interception.
  CHECK(caller.sas != callee.sas);
  CHECK(caller.sas_digits != callee.sas_digits);
}

TEST_CASE(
    "SAS grinding: a man in the middle that picks the caller's nonce after seeing the "
    "callee's is refused, and the call ends on both sides as a suspected interception",
    "[call][attack][sas]") {
  Scene scene;
  ManInTheMiddle& attacker = scene.attacker;
  std::optional<wire::SasNonce> callee_nonce;
  std::optional<crypto::SasCode> callers_code;
  int tries = 0;
  bool ground = false;
  attacker.rewrite = [&](const std::string& from, net::ControlMessage& m) {
    if (from == "Singapore" && m.kind == wire::ControlKind::kRinging) {
      callee_nonce = net::decode_sas_nonce(m.body);
    }
    if (from == "Beijing" && m.kind == wire::ControlKind::kSasReveal && callee_nonce) {
      const auto caller_nonce = net::decode_sas_nonce(m.body);
      REQUIRE(caller_nonce);
      callers_code = crypto::sas_code(attacker.middle.with_caller->handshake_hash, *caller_nonce,
                                      *callee_nonce);
      // Grind a nonce that gives Singapore the caller's first word (2^8 tries here; all four
      // words take 2^32, well within reach offline) and reveal that instead.
      wire::SasNonce chosen = *caller_nonce;
      for (;;) {
        ++tries;
        chosen = crypto::random_sas_nonce();
        const auto code =
            crypto::sas_code(attacker.middle.with_callee->handshake_hash, chosen, *callee_nonce);
        if (code[0] == (*callers_code)[0]) break;
      }
      ground = true;
      m.body = net::encode_sas_nonce(chosen);
    }
  };

  const auto id = scene.beijing.call("Singapore");
  REQUIRE(scene.net.run_until([&] { return scene.incoming().has_value(); }, 5s));
  const auto callee_id = scene.incoming()->id;
  scene.singapore.answer(callee_id);
  REQUIRE(scene.net.run_until(
      [&] {
        return scene.beijing.latest(id)->state == CallState::kEnded &&
               scene.singapore.latest(callee_id)->state == CallState::kEnded;
      },
      15s));

  INFO("tries " << tries);
  CHECK(ground);  // the attack was performed
  const CallStats callee = *scene.singapore.latest(callee_id);
  CHECK(callee.end_reason == EndReason::kInterceptionSuspected);
  CHECK(scene.singapore.core().counters().sas_commitments_broken == 1);
  // The callee never showed words the attacker chose.
  for (const auto& e : scene.singapore.events()) CHECK(e.sas.empty());
  // The caller's call ends the same way, told by the callee's Hangup.
  CHECK(scene.beijing.latest(id)->end_reason == EndReason::kInterceptionSuspected);
}

TEST_CASE("SAS: no words before both nonces are known, and confirming waits for them",
          "[call][sas]") {
  StartedPair pair;
  SimNetwork& net = pair.net;
  SimConsole& beijing = pair.beijing;
  SimConsole& singapore = pair.singapore;
  // Beijing's first control packet is its CallRequest; hold back the others (its reveal
  // among them) until released.
  bool hold = true;
  int beijing_control = 0;
  net.filter = [&](const SentDatagram& d) {
    if (d.from != "Beijing" || !is_message(d, wire::MessageType::kControl)) return true;
    return ++beijing_control == 1 || !hold;
  };
  const auto id = beijing.call("Singapore");
  const auto incoming = [&] {
    return singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; });
  };
  REQUIRE(net.run_until([&] { return incoming().has_value(); }, 5s));
  const auto callee_id = incoming()->id;
  singapore.answer(callee_id);
  REQUIRE(net.run_until([&] { return beijing.latest(id)->state == CallState::kConnected; }, 5s));
  // The caller knows both nonces; the callee has only a commitment.
  CHECK_FALSE(beijing.latest(id)->sas.empty());
  CHECK(singapore.latest(callee_id)->sas.empty());
  singapore.core().confirm_sas(callee_id, net.now());
  singapore.core().report_sas_mismatch(callee_id, net.now());
  CHECK_FALSE(singapore.latest(callee_id)->sas_confirmed_local);  // nothing to confirm yet
  CHECK(singapore.latest(callee_id)->state == CallState::kConnected);
  hold = false;  // the retransmitted reveal gets through
  REQUIRE(net.run_until([&] { return !singapore.latest(callee_id)->sas.empty(); }, 3s));
  CHECK(singapore.latest(callee_id)->sas == beijing.latest(id)->sas);
  CHECK(singapore.latest(callee_id)->sas_digits == beijing.latest(id)->sas_digits);
}

TEST_CASE("SAS mismatch reported by an official ends the call on both sides", "[call][sas]") {
  StartedPair pair;
  SimNetwork& net = pair.net;
  SimConsole& beijing = pair.beijing;
  SimConsole& singapore = pair.singapore;
  const auto id = beijing.call("Singapore");
  const auto incoming = [&] {
    return singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; });
  };
  REQUIRE(net.run_until([&] { return incoming().has_value(); }, 5s));
  const auto callee_id = incoming()->id;
  singapore.answer(callee_id);
  REQUIRE(net.run_until(
      [&] {
        return !singapore.latest(callee_id)->sas.empty() &&
               beijing.latest(id)->state == CallState::kConnected;
      },
      5s));
  beijing.core().report_sas_mismatch(id, net.now());
  CHECK(beijing.latest(id)->end_reason == EndReason::kInterceptionSuspected);
  REQUIRE(
      net.run_until([&] { return singapore.latest(callee_id)->state == CallState::kEnded; }, 3s));
  CHECK(singapore.latest(callee_id)->end_reason == EndReason::kInterceptionSuspected);
}

TEST_CASE(
    "SAS retries: a peer that calls again and again gets a few rings, then Busy, so a man in "
    "the middle gets about a dozen tries at matching words per ring",
    "[call][attack][sas]") {
  // Each new call is one more 2^-32 try at giving the callee the caller's words (§2.3). Here
  // the caller itself redials as fast as the callee answers Ringing, for one ring timeout.
  StartedPair pair;
  SimNetwork& net = pair.net;
  SimConsole& beijing = pair.beijing;
  SimConsole& singapore = pair.singapore;
  int calls = 0;
  int rung = 0;
  int refused = 0;
  const auto ring_window = net.now() + wire::kRingTimeout;
  while (net.now() < ring_window) {
    const auto id = beijing.call("Singapore");
    ++calls;
    REQUIRE(net.run_until(
        [&] {
          const auto s = beijing.latest(id);
          return s->state == CallState::kRinging || s->state == CallState::kEnded;
        },
        5s));
    if (beijing.latest(id)->state == CallState::kRinging) {
      ++rung;
      beijing.hangup(id);
    } else {
      CHECK(beijing.latest(id)->end_reason == EndReason::kBusy);
      ++refused;
    }
    REQUIRE(net.run_until([&] { return beijing.latest(id)->state == CallState::kEnded; }, 5s));
    net.run_for(200ms);
  }
  INFO(calls << " calls: " << rung << " rang, " << refused << " refused");
  const double budget = wire::kIncomingCallBurstPerPeer +
                        wire::kIncomingCallsPerSecondPerPeer *
                            std::chrono::duration<double>(wire::kRingTimeout).count();
  CHECK(calls > 2 * budget);  // the caller tried far more often than the budget
  CHECK(rung >= static_cast<int>(wire::kIncomingCallBurstPerPeer));
  CHECK(rung <= static_cast<int>(budget) + 1);
  CHECK(singapore.core().counters().calls_rate_limited == static_cast<std::uint64_t>(refused));
  // The budget refills: after a quiet minute the peer rings again.
  net.run_for(60s);
  const auto later = beijing.call("Singapore");
  REQUIRE(net.run_until([&] { return beijing.latest(later)->state == CallState::kRinging; }, 5s));
}
