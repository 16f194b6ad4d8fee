#include "core/crypto/cookie.hpp"

#include <sodium.h>

#include "core/crypto/mac.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {

static_assert(sizeof(Cookie) == wire::kCookieLen);
static_assert(sizeof(CookieNonce) == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(sizeof(CookieNonce) == wire::kCookieNonceLen);

CookieSealKey::CookieSealKey(const DhPublicKey& responder_static)
    : key_(receiver_key(wire::kCookieLabel, responder_static)) {}

Cookie compute_cookie(const SecretKey& secret, const std::array<std::uint8_t, 18>& source) {
  ensure_sodium();
  Cookie cookie{};
  crypto_generichash(cookie.data(), cookie.size(), source.data(), source.size(), secret.data(),
                     secret.size());
  return cookie;
}

Mac2 compute_mac2(const Cookie& cookie, ByteSpan covered) {
  ensure_sodium();
  Mac2 mac{};
  crypto_generichash(mac.data(), mac.size(), covered.data(), covered.size(), cookie.data(),
                     cookie.size());
  return mac;
}

bool mac2_matches(const Cookie& cookie, ByteSpan covered, ByteSpan mac) {
  if (mac.size() != Mac2{}.size()) return false;
  const Mac2 expected = compute_mac2(cookie, covered);
  return sodium_memcmp(expected.data(), mac.data(), expected.size()) == 0;
}

std::array<std::uint8_t, 32> seal_cookie(const CookieSealKey& key, const CookieNonce& nonce,
                                         const Cookie& cookie, ByteSpan initiation_mac1) {
  ensure_sodium();
  std::array<std::uint8_t, 32> sealed{};
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &length, cookie.data(), cookie.size(),
                                             initiation_mac1.data(), initiation_mac1.size(),
                                             nullptr, nonce.data(), key.bytes().data());
  return sealed;
}

std::optional<Cookie> open_cookie(const CookieSealKey& key, const CookieNonce& nonce,
                                  ByteSpan sealed, ByteSpan initiation_mac1) {
  ensure_sodium();
  if (sealed.size() != wire::encrypted_len(wire::kCookieLen)) return std::nullopt;
  Cookie cookie{};
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          cookie.data(), &length, nullptr, sealed.data(), sealed.size(), initiation_mac1.data(),
          initiation_mac1.size(), nonce.data(), key.bytes().data()) != 0) {
    return std::nullopt;
  }
  return cookie;
}

}  // namespace hotline::crypto
