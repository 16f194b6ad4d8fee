#include "core/store/record_codec.hpp"

#include <sodium.h>

namespace hotline::store {
namespace {

constexpr std::size_t kPadBlock = 64;
constexpr std::size_t kNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagLen = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kMaxPlaintext = kMaxSealedRecord - kNonceLen - kTagLen;
static_assert(kNonceLen + kTagLen == kSealedOverhead);

}  // namespace

Bytes seal_record(crypto::KeyView key, ByteSpan ad, Bytes plain) {
  plain.resize((plain.size() + kPadBlock - 1) / kPadBlock * kPadBlock, 0);
  Bytes out(kNonceLen + plain.size() + kTagLen);
  randombytes_buf(out.data(), kNonceLen);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceLen, nullptr, plain.data(),
                                             plain.size(), ad.data(), ad.size(), nullptr,
                                             out.data(), key.data());
  sodium_memzero(plain.data(), plain.size());
  return out;
}

bool open_record_into(crypto::KeyView key, ByteSpan ad, ByteSpan sealed,
                      std::span<std::uint8_t> plain) {
  if (sealed.size() < kNonceLen + kTagLen || sealed.size() - kNonceLen - kTagLen > kMaxPlaintext ||
      plain.size() != sealed.size() - kNonceLen - kTagLen) {
    return false;
  }
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             plain.data(), nullptr, nullptr, sealed.data() + kNonceLen, sealed.size() - kNonceLen,
             ad.data(), ad.size(), sealed.data(), key.data()) == 0;
}

std::optional<MutableByteSpan> open_record_in_place(crypto::KeyView key, ByteSpan ad,
                                                    MutableByteSpan sealed) {
  if (sealed.size() < kNonceLen + kTagLen) return std::nullopt;
  // libsodium opens in place: the tag is checked over the ciphertext before it is overwritten.
  const MutableByteSpan plain = sealed.subspan(kNonceLen, sealed.size() - kSealedOverhead);
  if (!open_record_into(key, ad, sealed, plain)) return std::nullopt;
  return plain;
}

ByteSpan opened_record(ByteSpan opened_box) {
  if (opened_box.size() < kSealedOverhead) return {};
  return opened_box.subspan(kNonceLen, opened_box.size() - kSealedOverhead);
}

std::optional<Bytes> open_record(crypto::KeyView key, ByteSpan ad, ByteSpan sealed) {
  if (sealed.size() < kNonceLen + kTagLen || sealed.size() - kNonceLen - kTagLen > kMaxPlaintext) {
    return std::nullopt;
  }
  Bytes plain(sealed.size() - kNonceLen - kTagLen);
  if (!open_record_into(key, ad, sealed, plain)) return std::nullopt;
  return plain;
}

}  // namespace hotline::store
