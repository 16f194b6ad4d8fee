// Pre-shared keys arrive as text from the peer's operator (admin::parse_psk, used by the command
// line and the peers page), over the strict base64 of util/bytes.hpp that also reads every card
// field. Strict means one spelling per value: a decoded text must re-encode to itself.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "core/admin/administration.hpp"
#include "core/util/bytes.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ByteSpan input(data, size);
  if (const auto decoded = from_base64(text)) fuzz::require(to_base64(*decoded) == text);
  fuzz::require(from_base64(to_base64(input)) == Bytes(input.begin(), input.end()));

  try {
    const crypto::SecretKey psk = admin::parse_psk(text);
    fuzz::require(!psk.is_zero());
    const std::string formatted = admin::format_psk(psk);
    // parse_psk only trims whitespace around the one canonical spelling.
    fuzz::require(text.find(formatted) != std::string_view::npos);
    const crypto::SecretKey again = admin::parse_psk(formatted);
    fuzz::require(std::equal(psk.span().begin(), psk.span().end(), again.span().begin()));
  } catch (const Error&) {
  }
  return 0;
}
