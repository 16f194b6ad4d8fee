// The responder's steps on an initiation from anyone: the mac1 check, the Noise read under a
// fixed identity (the seeds are real initiations to it) and, when that succeeds, the response.
//
// mac1 is recomputed over the fuzzer's bytes before read_initiation: otherwise one input in
// 2^128 would pass step 1, and the engine never runs the Noise read on a packet that failed it.
// mac1 is keyed by the responder's public key only, so any sender can compute it: this skips
// no protection, it only spares the fuzzer a hash it could never guess.

#include <algorithm>
#include <cstdint>

#include "core/crypto/identity.hpp"
#include "core/crypto/mac.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/wire/wire.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {

struct Responder {
  crypto::Identity self = crypto::Identity::from_seed(fuzz::fixed_key(fuzz::kResponderSeedFill));
  crypto::Mac1Key mac_key{self.dh_public()};
  crypto::SecretKey psk = fuzz::fixed_key(fuzz::kPskFill);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Responder responder;
  const ByteSpan input(data, size);
  const bool shaped = size == wire::kInitiationLen &&
                      data[0] == static_cast<std::uint8_t>(wire::MessageType::kInitiation);
  fuzz::require(shaped || !net::initiation_passes_mac(input, responder.mac_key));
  if (!shaped) {
    fuzz::require(!net::read_initiation(input, responder.self));
    return 0;
  }

  Bytes packet(input.begin(), input.end());
  const crypto::Mac1 mac =
      crypto::compute_mac1(responder.mac_key, ByteSpan(packet).first(wire::kInitiationMacOffset));
  std::copy(mac.begin(), mac.end(), packet.begin() + wire::kInitiationMacOffset);
  fuzz::require(net::initiation_passes_mac(packet, responder.mac_key));

  auto received = net::read_initiation(packet, responder.self);
  if (!received) return 0;
  net::CompletedHandshake completed;
  const Bytes response =
      net::build_response(*received, responder.psk, fuzz::kResponderIndex, completed);
  // The initiator named inside the packet must take the response as addressed to it.
  fuzz::require(response.size() == wire::kResponseLen);
  fuzz::require(net::response_passes_mac(response, crypto::Mac1Key(received->initiator_static)));
  fuzz::require(net::peek_response_receiver_index(response) == received->sender_index);
  fuzz::require(completed.remote_index == received->sender_index);
  return 0;
}
