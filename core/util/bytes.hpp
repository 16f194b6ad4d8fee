#pragma once
// Byte containers and the little-endian / text encodings the wire formats and card files use.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;
using Key32 = std::array<std::uint8_t, 32>;

std::string to_hex(ByteSpan data);
// Accepts upper or lower case; returns nullopt on odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view text);

// RFC 4648 base64 with padding (what the peer card uses).
std::string to_base64(ByteSpan data);
// Strict: rejects whitespace, missing padding and non-canonical trailing bits.
std::optional<Bytes> from_base64(std::string_view text);

inline ByteSpan as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline void store_le16(std::uint8_t* out, std::uint16_t v) {
  out[0] = static_cast<std::uint8_t>(v);
  out[1] = static_cast<std::uint8_t>(v >> 8);
}
inline void store_le24(std::uint8_t* out, std::uint32_t v) {
  out[0] = static_cast<std::uint8_t>(v);
  out[1] = static_cast<std::uint8_t>(v >> 8);
  out[2] = static_cast<std::uint8_t>(v >> 16);
}
inline void store_le32(std::uint8_t* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void store_le64(std::uint8_t* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline std::uint16_t load_le16(const std::uint8_t* in) {
  return static_cast<std::uint16_t>(in[0] | (in[1] << 8));
}
inline std::uint32_t load_le24(const std::uint8_t* in) {
  return static_cast<std::uint32_t>(in[0]) | (static_cast<std::uint32_t>(in[1]) << 8) |
         (static_cast<std::uint32_t>(in[2]) << 16);
}
inline std::uint32_t load_le32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}
inline std::uint64_t load_le64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// A label, then each number as 8 little-endian bytes: what binds a sealed box to its place.
inline Bytes label_and_le64(std::string_view label, std::initializer_list<std::int64_t> numbers) {
  Bytes out(label.begin(), label.end());
  for (const std::int64_t n : numbers) {
    out.resize(out.size() + 8);
    store_le64(out.data() + out.size() - 8, static_cast<std::uint64_t>(n));
  }
  return out;
}

}  // namespace hotline
