#pragma once
// Peer cards: the small signed text file two consoles exchange to learn each other's key and
// address. Example (LF line endings; CRLF is accepted on input):
//
//   # optional comment lines, only before the header
//   hotline-card 1
//   name: 北京国防部
//   public-key: <base64 of the 32-byte Ed25519 key>
//   endpoint: 192.0.2.7:5000                 (1 to 4 lines, canonical host:port)
//   fingerprint: 12345 67890 ... (60 digits in 12 groups of 5; must match the key)
//   signature: <base64 of the 64-byte Ed25519 signature>
//
// Strict rules: at most 4 KiB of valid UTF-8; no control characters anywhere (a leading BOM
// is ignored); comment lines ('#') and blank lines only before the header; blank lines after
// the last field are ignored; fields appear once each (endpoint 1..4 times) in exactly the
// order above, as "field: value" with one space; endpoints must be written in canonical form.
// The signature covers every line before "fingerprint:" in canonical form, each ending in LF
// (card_signed_text()).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/identity.hpp"
#include "core/net/endpoint.hpp"
#include "core/util/error.hpp"

namespace hotline::identity {

inline constexpr std::size_t kMaxCardBytes = 4096;
inline constexpr std::size_t kMaxNameBytes = 64;
inline constexpr std::size_t kMaxCardEndpoints = 4;
inline constexpr std::string_view kCardHeader = "hotline-card 1";

// what() is "line N: problem" when the problem is on a line, else just the problem. code() is
// one of the kCard… and kName… codes (kCardDamaged for the card's layout), values() the line
// ("" if none) and then the code's values.
class CardError : public Error {
 public:
  CardError(const std::string& problem, std::optional<std::size_t> line,
            ErrorCode code = ErrorCode::kCardDamaged, std::vector<std::string> values = {});
  std::optional<std::size_t> line() const { return line_; }

 private:
  std::optional<std::size_t> line_;
};

struct PeerCard {
  std::string name;
  crypto::PublicKey public_key{};
  std::vector<net::Endpoint> endpoints;
  crypto::Signature signature{};
};

// A console name: 1..64 bytes of valid UTF-8, no control or invisible formatting characters
// (bidi overrides, zero-width characters), no leading or trailing whitespace.
// Throws CardError (without a line) naming the problem.
void validate_console_name(std::string_view name);

// Signs a new card. Throws CardError for a bad name or an endpoint count outside 1..4.
PeerCard make_card(const crypto::Identity& identity, std::string name,
                   std::vector<net::Endpoint> endpoints);

// The bytes the signature covers: header, name, public-key and endpoint lines, LF-terminated.
std::string card_signed_text(const PeerCard& card);
// The full card file text (canonical form, LF endings).
std::string serialize_card(const PeerCard& card);
// Parses and fully verifies a card (key validity, fingerprint, signature).
PeerCard parse_card(std::string_view text);

}  // namespace hotline::identity
