#pragma once
// What the sealed records (call rows, audit entries) are made of: a small versioned binary
// form (little-endian numbers, length-prefixed texts) and its XChaCha20-Poly1305 box, the
// plaintext padded with zeros to a multiple of 64 bytes so a box's length says little about
// the names and notes in it. docs/records.md, "Sealed history".

#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void i64(std::int64_t v) {
    const std::size_t at = out_.size();
    out_.resize(at + 8);
    store_le64(out_.data() + at, static_cast<std::uint64_t>(v));
  }
  void f64(double v) { i64(std::bit_cast<std::int64_t>(v)); }
  void text(std::string_view s) {
    i64(static_cast<std::int64_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void optional_i64(const std::optional<std::int64_t>& v) {
    u8(v.has_value());
    if (v) i64(*v);
  }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(ByteSpan in) : in_(in) {}
  bool ok() const { return ok_; }
  std::uint8_t u8() {
    if (!need(1)) return 0;
    return in_[at_++];
  }
  std::int64_t i64() {
    if (!need(8)) return 0;
    const auto v = static_cast<std::int64_t>(load_le64(in_.data() + at_));
    at_ += 8;
    return v;
  }
  double f64() { return std::bit_cast<double>(i64()); }
  bool flag() {
    const std::uint8_t v = u8();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  std::string text() { return std::string(text_view()); }
  // The text where it lies in the input: valid for as long as the input is.
  std::string_view text_view() {
    const std::int64_t n = i64();
    if (n < 0 || !need(static_cast<std::size_t>(n))) {
      ok_ = false;
      return {};
    }
    const std::string_view s(reinterpret_cast<const char*>(in_.data() + at_),
                             static_cast<std::size_t>(n));
    at_ += static_cast<std::size_t>(n);
    return s;
  }
  std::optional<std::int64_t> optional_i64() {
    if (!flag()) return std::nullopt;
    return i64();
  }
  // Only zero padding may follow the record.
  bool rest_is_padding() const {
    for (std::size_t i = at_; i < in_.size(); ++i) {
      if (in_[i] != 0) return false;
    }
    return true;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() - at_ < n) ok_ = false;
    return ok_;
  }
  ByteSpan in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// What a box adds to its plaintext: a 24-byte nonce and a 16-byte tag.
inline constexpr std::size_t kSealedOverhead = 24 + 16;
// The longest box open_record accepts: 1 MiB of plaintext. A longer record is not one the
// console wrote (notes are short texts).
inline constexpr std::size_t kMaxSealedRecord = (std::size_t{1} << 20) + kSealedOverhead;

// A random nonce, then the padded plaintext sealed under `key` with `ad` as associated data.
// Wipes `plain`.
Bytes seal_record(crypto::KeyView key, ByteSpan ad, Bytes plain);
// The padded plaintext; nullopt when the box does not open (another key or place, edited) or
// is longer than any record the console writes. The caller wipes it after decoding.
std::optional<Bytes> open_record(crypto::KeyView key, ByteSpan ad, ByteSpan sealed);
// The same into `plain`, which must be exactly the plaintext's size (sealed.size() -
// kSealedOverhead): a caller opening many boxes keeps them off the heap. False when the box does
// not open.
bool open_record_into(crypto::KeyView key, ByteSpan ad, ByteSpan sealed,
                      std::span<std::uint8_t> plain);
// The same where the box lies: the plaintext takes the ciphertext's place and the nonce and tag
// stay, so a reader of a whole table copies each box once (docs/records.md). Returns the
// plaintext, or nullopt when the box does not open (its ciphertext is then zeroed).
std::optional<MutableByteSpan> open_record_in_place(crypto::KeyView key, ByteSpan ad,
                                                    MutableByteSpan sealed);
// The plaintext of a box open_record_in_place opened.
ByteSpan opened_record(ByteSpan opened_box);

}  // namespace hotline::store
