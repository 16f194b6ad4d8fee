#include "core/crypto/mac.hpp"

#include <sodium.h>

#include "core/crypto/secret.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {

static_assert(sizeof(Mac1) == wire::kMacLen);

std::array<std::uint8_t, 32> receiver_key(std::string_view label, const DhPublicKey& receiver) {
  ensure_sodium();
  std::array<std::uint8_t, 32> key{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, key.size());
  const ByteSpan label_bytes = as_bytes(label);
  crypto_generichash_update(&state, label_bytes.data(), label_bytes.size());
  crypto_generichash_update(&state, receiver.data(), receiver.size());
  crypto_generichash_final(&state, key.data(), key.size());
  return key;
}

Mac1Key::Mac1Key(const DhPublicKey& receiver_static)
    : key_(receiver_key(wire::kMac1Label, receiver_static)) {}

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
