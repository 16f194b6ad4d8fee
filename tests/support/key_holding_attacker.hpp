#pragma once
// The attacker of the protocol review (docs/security.md): a man in the middle who holds both
// consoles' static keys and their pre-shared key — the case the SAS exists for. Given a
// caller's initiation it answers as the callee and initiates to the callee as the caller, and
// so ends up with a session with each. The attack tests put it on a SimNetwork's wire
// (SimNetwork::filter and inject) and decide what to do with the packets between.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/net/handshake_messages.hpp"
#include "tests/support/sim_network.hpp"

namespace hotline::test {

bool is_message(const SentDatagram& d, wire::MessageType type);

// Two consoles, Beijing and Singapore, that know each other and share a PSK, started, with
// the attacker's usual inputs.
struct PskConsolePair {
  PskConsolePair();
  SimNetwork net;
  SimConsole& beijing;
  SimConsole& singapore;
  std::shared_ptr<crypto::SecretKey> psk;
};

class KeyHoldingAttacker {
 public:
  KeyHoldingAttacker(const SimConsole& caller, const SimConsole& callee,
                     std::shared_ptr<const crypto::SecretKey> psk, SimNetwork& net);

  // The caller's initiation (taken off the wire): answered as the callee, and a new one sent
  // to the callee as the caller, with the caller's own timestamp.
  void intercept_initiation(const Bytes& initiation);
  // True when `d` is the callee's response to the attacker's initiation: the session with
  // the callee is then held (if the response was valid), and the datagram must not pass.
  bool take_response(const SentDatagram& d);

  const SimConsole& caller;
  const SimConsole& callee;
  std::optional<net::CompletedHandshake> with_caller;  // as the callee
  std::optional<net::CompletedHandshake> with_callee;  // as the caller

 private:
  std::shared_ptr<const crypto::SecretKey> psk_;
  SimNetwork& net_;
  std::optional<net::PendingInitiation> to_callee_;
};

}  // namespace hotline::test
