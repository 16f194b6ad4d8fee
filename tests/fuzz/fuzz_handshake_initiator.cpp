// The initiator's steps on a response from anyone: peek_response_receiver_index,
// response_passes_mac and read_response against a PendingInitiation from build_initiation.
//
// build_initiation draws a fresh ephemeral key in every process, so no stored response could
// ever complete it. The input is therefore XORed onto a response genuinely built for this
// process's initiation: the all-zero input is the valid response (the seeds), and the fuzzer
// still controls every byte of the packet.

#include <cstdint>
#include <memory>

#include "core/crypto/identity.hpp"
#include "core/crypto/mac.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/wire/wire.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {

struct Initiator {
  crypto::Identity self = crypto::Identity::from_seed(fuzz::fixed_key(fuzz::kInitiatorSeedFill));
  crypto::Identity peer = crypto::Identity::from_seed(fuzz::fixed_key(fuzz::kResponderSeedFill));
  crypto::Mac1Key mac_key{self.dh_public()};
  crypto::SecretKey psk = fuzz::fixed_key(fuzz::kPskFill);
  net::PendingInitiation pending;
  std::unique_ptr<crypto::NoiseHandshake> backup;  // restores `pending` after a success
  Bytes genuine;

  Initiator() {
    const Bytes initiation =
        net::build_initiation(self, peer.dh_public(), psk, fuzz::kInitiatorIndex,
                              crypto::tai64n_from_unix(fuzz::kTimestampSeconds, 0),
                              wire::InitiationPurpose::kCall, std::nullopt, pending);
    backup = std::make_unique<crypto::NoiseHandshake>(pending.noise->clone());
    auto received = net::read_initiation(initiation, peer);
    net::CompletedHandshake unused;
    genuine = net::build_response(*received, psk, fuzz::kResponderIndex, unused);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Initiator initiator;
  Bytes packet(data, data + size);
  for (std::size_t i = 0; i < size && i < initiator.genuine.size(); ++i) {
    packet[i] ^= initiator.genuine[i];
  }
  const bool shaped = size == wire::kResponseLen &&
                      packet[0] == static_cast<std::uint8_t>(wire::MessageType::kResponse);
  fuzz::require(net::peek_response_receiver_index(packet).has_value() == shaped);
  const bool mac_ok = net::response_passes_mac(packet, initiator.mac_key);
  fuzz::require(shaped || !mac_ok);
  fuzz::require(mac_ok || packet != initiator.genuine);

  const auto completed = net::read_response(packet, initiator.pending);
  // A failed read must leave the pending handshake as it was, ready for the genuine response.
  fuzz::require(completed.has_value() == !initiator.pending.noise);
  fuzz::require(completed.has_value() || packet != initiator.genuine);
  if (!completed) return 0;
  fuzz::require(shaped);
  initiator.pending.noise = std::make_unique<crypto::NoiseHandshake>(initiator.backup->clone());
  return 0;
}
