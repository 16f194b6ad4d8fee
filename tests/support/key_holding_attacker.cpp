#include "tests/support/key_holding_attacker.hpp"

#include <catch2/catch_test_macros.hpp>

namespace hotline::test {
namespace {

// The attacker's own session indexes, one per half.
constexpr std::uint32_t kIndexWithCaller = 0x0a0a0a0a;
constexpr std::uint32_t kIndexWithCallee = 0x0b0b0b0b;

}  // namespace

bool is_message(const SentDatagram& d, wire::MessageType type) {
  return !d.bytes.empty() && d.bytes[0] == static_cast<std::uint8_t>(type);
}

PskConsolePair::PskConsolePair()
    : beijing(net.add_console("Beijing")),
      singapore(net.add_console("Singapore")),
      psk(std::make_shared<crypto::SecretKey>()) {
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  psk->data()[0] = 0x42;
  beijing.config().peers.back().psk = psk;
  singapore.config().peers.back().psk = psk;
  beijing.set_record_sent(false);
  singapore.set_record_sent(false);
  beijing.start();
  singapore.start();
}

KeyHoldingAttacker::KeyHoldingAttacker(const SimConsole& caller_console,
                                       const SimConsole& callee_console,
                                       std::shared_ptr<const crypto::SecretKey> psk,
                                       SimNetwork& net)
    : caller(caller_console), callee(callee_console), psk_(std::move(psk)), net_(net) {}

void KeyHoldingAttacker::intercept_initiation(const Bytes& initiation) {
  auto received = net::read_initiation(initiation, callee.identity());
  REQUIRE(received);  // it holds the callee's static key
  net::CompletedHandshake done;
  net_.inject(net::build_response(*received, *psk_, kIndexWithCaller, done), callee.address(),
              caller.address());
  with_caller.emplace(std::move(done));
  to_callee_.emplace();
  net_.inject(net::build_initiation(caller.identity(), callee.identity().dh_public(), *psk_,
                                    kIndexWithCallee, received->timestamp,
                                    wire::InitiationPurpose::kCall, std::nullopt, *to_callee_),
              caller.address(), callee.address());
}

bool KeyHoldingAttacker::take_response(const SentDatagram& d) {
  if (d.from != callee.name() || !is_message(d, wire::MessageType::kResponse) || !to_callee_ ||
      net::peek_response_receiver_index(d.bytes) != to_callee_->sender_index) {
    return false;
  }
  if (auto done = net::read_response(d.bytes, *to_callee_)) with_callee.emplace(std::move(*done));
  to_callee_.reset();
  return true;
}

}  // namespace hotline::test
