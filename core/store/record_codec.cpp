#include "core/store/record_codec.hpp"

#include <sodium.h>

namespace hotline::store {
namespace {

constexpr std::size_t kPadBlock = 64;
constexpr std::size_t kNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagLen = crypto_aead_xchacha20poly1305_ietf_ABYTES;
// A record longer than this is not one the console wrote (notes are short texts).
constexpr std::size_t kMaxPlaintext = 1 << 20;

}  // namespace

Bytes seal_record(const crypto::SecretKey& key, ByteSpan ad, Bytes plain) {
  plain.resize((plain.size() + kPadBlock - 1) / kPadBlock * kPadBlock, 0);
  Bytes out(kNonceLen + plain.size() + kTagLen);
  randombytes_buf(out.data(), kNonceLen);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceLen, nullptr, plain.data(),
                                             plain.size(), ad.data(), ad.size(), nullptr,
                                             out.data(), key.data());
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::optional<Bytes> open_record(const crypto::SecretKey& key, ByteSpan ad, ByteSpan sealed) {
  if (sealed.size() < kNonceLen + kTagLen || sealed.size() - kNonceLen - kTagLen > kMaxPlaintext) {
    return std::nullopt;
  }
  Bytes plain(sealed.size() - kNonceLen - kTagLen);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), nullptr, nullptr, sealed.data() + kNonceLen, sealed.size() - kNonceLen,
          ad.data(), ad.size(), sealed.data(), key.data()) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace hotline::store
