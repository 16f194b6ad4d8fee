#include "core/crypto/rekey_chain.hpp"

#include <sodium.h>

#include <array>

#include "core/util/error.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {
namespace {

// BLAKE2b-256 keyed by `key` over label || message: the same keyed hash Noise's own BLAKE2b
// suite is built from, with a label of its own so no other value of the protocol collides.
SecretKey keyed_hash(std::span<const std::uint8_t> key, std::string_view label,
                     std::span<const std::uint8_t> message) {
  crypto_generichash_state state;
  if (crypto_generichash_init(&state, key.data(), key.size(), SecretKey::size()) != 0) {
    throw Error("re-key chain: hash initialisation failed");
  }
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(label.data()),
                            label.size());
  crypto_generichash_update(&state, message.data(), message.size());
  SecretKey out;
  crypto_generichash_final(&state, out.data(), SecretKey::size());
  sodium_memzero(&state, sizeof state);
  return out;
}

}  // namespace

SecretKey derive_rekey_chain(const SecretKey& initiator_to_responder,
                             const SecretKey& responder_to_initiator) {
  Secret<64> both;
  std::copy(initiator_to_responder.data(), initiator_to_responder.data() + 32, both.data());
  std::copy(responder_to_initiator.data(), responder_to_initiator.data() + 32, both.data() + 32);
  return keyed_hash(both.span(), wire::kRekeyChainLabel, {});
}

SecretKey chained_psk(const SecretKey& chain, const SecretKey& psk) {
  return keyed_hash(chain.span(), wire::kRekeyPskLabel, psk.span());
}

}  // namespace hotline::crypto
