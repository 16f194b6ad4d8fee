// Peer cards are files other consoles' operators send us. parse_card verifies everything (key,
// fingerprint, signature), so the seeds are real signed cards; whatever parses must pass the
// name rules and survive serialize_card -> parse_card unchanged.

#include <cstdint>
#include <string_view>

#include "core/identity/peer_card.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  identity::PeerCard card;
  try {
    card = identity::parse_card(text);
  } catch (const Error&) {
    return 0;
  }
  // From here on a throw is not caught: an accepted card must be a good one.
  identity::validate_console_name(card.name);
  fuzz::require(!card.endpoints.empty() && card.endpoints.size() <= identity::kMaxCardEndpoints);
  const identity::PeerCard again = identity::parse_card(identity::serialize_card(card));
  fuzz::require(again.name == card.name && again.public_key == card.public_key &&
                again.endpoints == card.endpoints && again.signature == card.signature);
  return 0;
}
