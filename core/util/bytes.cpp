#include "core/util/bytes.hpp"

#include <sodium.h>

namespace hotline {

std::string to_hex(ByteSpan data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

std::optional<Bytes> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out(text.size() / 2);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end) !=
          0 ||
      written != out.size() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

std::string to_base64(ByteSpan data) {
  const auto variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.pop_back();
  return out;
}

std::optional<Bytes> from_base64(std::string_view text) {
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(written);
  // Reject non-canonical encodings so a card has exactly one valid spelling.
  if (to_base64(out) != text) return std::nullopt;
  return out;
}

}  // namespace hotline
