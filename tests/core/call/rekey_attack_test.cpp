// The re-key attack of the protocol review (docs/security.md, "Re-keys are chained"): a man in
// the middle who holds both consoles' static keys and their pre-shared key lets the call's
// first handshake through untouched, so both officials read the same words, and at the first
// re-key answers the caller as the callee and initiates to the callee as the caller. With
// independent re-key handshakes it then held the keys of both halves and could open every
// frame. Performed here on the real core in simulated time, with the attacker's hand on the
// wire (SimNetwork::filter and inject).

#include <catch2/catch_test_macros.hpp>
#include <memory>
#include <optional>

#include "core/net/transport.hpp"
#include "tests/support/key_holding_attacker.hpp"

using namespace std::chrono_literals;
using hotline::call::CallState;
using hotline::call::CallStats;
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

// The attacker's hand on the wire, and what it got out of it.
struct Attacker {
  Attacker(const SimConsole& caller, const SimConsole& callee,
           std::shared_ptr<const crypto::SecretKey> psk, SimNetwork& net)
      : middle(caller, callee, std::move(psk), net) {}

  KeyHoldingAttacker middle;
  bool active = false;
  int initiations_taken = 0;
  int frames_seen = 0;
  int frames_opened = 0;

  // True passes the datagram on, false takes it.
  bool on_wire(const SentDatagram& d) {
    if (!active) return true;
    if (d.from == "Beijing" && is_message(d, wire::MessageType::kInitiation)) {
      ++initiations_taken;
      middle.intercept_initiation(d.bytes);
      return false;
    }
    if (middle.take_response(d)) return false;
    if (is_message(d, wire::MessageType::kVoice)) try_to_open(d);
    return true;
  }

  void try_to_open(const SentDatagram& d) {
    const auto header = net::parse_transport_header(d.bytes);
    if (!header) return;
    ++frames_seen;
    std::array<std::uint8_t, wire::kMaxDatagram> plain{};
    std::size_t length = 0;
    for (const auto* half : {&middle.with_caller, &middle.with_callee}) {
      if (!*half) continue;
      if (net::open_transport(d.bytes, header->counter_low, (*half)->keys.recv, plain, length)) {
        ++frames_opened;
        return;
      }
    }
  }
};

}  // namespace

TEST_CASE(
    "re-key attack: a man in the middle with both static keys and the PSK cannot enter "
    "a verified call at its re-key",
    "[call][attack]") {
  PskConsolePair pair;
  SimNetwork& net = pair.net;
  SimConsole& beijing = pair.beijing;
  SimConsole& singapore = pair.singapore;
  Attacker attacker(beijing, singapore, pair.psk, net);
  net.filter = [&](const SentDatagram& d) { return attacker.on_wire(d); };

  // The first handshake goes through untouched: both sides show the same words.
  const auto id = beijing.call("Singapore");
  const auto ringing = [&] {
    return singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; });
  };
  REQUIRE(net.run_until([&] { return ringing().has_value(); }, 5s));
  singapore.answer(ringing()->id);
  const auto callee_id = ringing()->id;
  REQUIRE(net.run_until(
      [&] { return beijing.latest(id) && beijing.latest(id)->state == CallState::kConnected; },
      5s));
  net.run_for(1s);
  REQUIRE_FALSE(beijing.latest(id)->sas.empty());
  CHECK(beijing.latest(id)->sas == singapore.latest(callee_id)->sas);

  // The attacker steps in before the re-key (120 s) and stays for a minute after it.
  attacker.active = true;
  net.run_for(wire::kRekeyAfter + 60s);

  INFO("initiations taken " << attacker.initiations_taken << ", frames seen "
                            << attacker.frames_seen << ", opened " << attacker.frames_opened);
  CHECK(attacker.initiations_taken >= 1);  // the attack was tried
  CHECK(attacker.frames_seen > 1000);
  CHECK(attacker.frames_opened == 0);  // not a single frame
  // Neither console switched to the attacker's keys, and the caller reports the refused
  // key change.
  const CallStats caller = *beijing.latest(id);
  const CallStats callee = *singapore.latest(callee_id);
  CHECK(caller.link.rekeys == 0);
  CHECK(callee.link.rekeys == 0);
  CHECK(caller.rekeys_refused >= 1);
}
