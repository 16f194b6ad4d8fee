#include "core/crypto/mac.hpp"

#include <sodium.h>

#include "core/crypto/secret.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {

static_assert(sizeof(Mac1) == wire::kMacLen);

Mac1Key::Mac1Key(const DhPublicKey& receiver_static) {
  ensure_sodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, key_.size());
  const ByteSpan label = as_bytes(wire::kMac1Label);
  crypto_generichash_update(&state, label.data(), label.size());
  crypto_generichash_update(&state, receiver_static.data(), receiver_static.size());
  crypto_generichash_final(&state, key_.data(), key_.size());
}

Mac1 compute_mac1(const Mac1Key& key, ByteSpan covered) {
  ensure_sodium();
  Mac1 mac{};
  crypto_generichash(mac.data(), mac.size(), covered.data(), covered.size(), key.bytes().data(),
                     key.bytes().size());
  return mac;
}

bool mac1_matches(const Mac1Key& key, ByteSpan covered, ByteSpan mac) {
  if (mac.size() != Mac1{}.size()) return false;
  const Mac1 expected = compute_mac1(key, covered);
  return sodium_memcmp(expected.data(), mac.data(), expected.size()) == 0;
}

}  // namespace hotline::crypto
