#include "core/identity/peer_card.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/crypto/fingerprint.hpp"
#include "core/util/bytes.hpp"

namespace hotline::identity {
namespace {

// ---- UTF-8 and character classes --------------------------------------------------------

// Decodes the code point at text[pos] and advances pos; nullopt for a truncated or malformed
// sequence, an overlong form, a surrogate or a value beyond U+10FFFF.
std::optional<std::uint32_t> decode_utf8(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  std::uint32_t code = 0;
  std::uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1Fu, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0Fu, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07u, minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3Fu);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return std::nullopt;
  }
  pos += length;
  return code;
}

bool is_control(std::uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Characters that change how a name displays without being seen: a name could otherwise
// imitate another console's name.
bool is_invisible_format(std::uint32_t c) {
  return c == 0x00AD || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB);
}

bool is_space(std::uint32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

std::optional<std::string> line_problem(std::string_view line) {
  for (std::size_t pos = 0; pos < line.size();) {
    const auto code = decode_utf8(line, pos);
    if (!code) return "not valid UTF-8";
    if (is_control(*code)) return "contains a control character";
  }
  return std::nullopt;
}

struct NameProblem {
  ErrorCode code;
  std::string text;
  std::vector<std::string> values;
};

std::optional<NameProblem> name_problem(std::string_view name) {
  if (name.empty()) return NameProblem{ErrorCode::kNameEmpty, "name is empty", {}};
  if (name.size() > kMaxNameBytes) {
    const std::string bytes = std::to_string(name.size()), most = std::to_string(kMaxNameBytes);
    return NameProblem{ErrorCode::kNameTooLong,
                       "name is too long (" + bytes + " bytes; at most " + most + ")",
                       {bytes, most}};
  }
  std::vector<std::uint32_t> codes;
  const auto bad = [](const char* text) {
    return NameProblem{ErrorCode::kNameBadCharacter, text, {}};
  };
  for (std::size_t pos = 0; pos < name.size();) {
    const auto code = decode_utf8(name, pos);
    if (!code) return bad("name is not valid UTF-8");
    if (is_control(*code)) return bad("name contains a control character");
    if (is_invisible_format(*code)) return bad("name contains an invisible formatting character");
    codes.push_back(*code);
  }
  if (is_space(codes.front()) || is_space(codes.back())) {
    return NameProblem{ErrorCode::kNameSpaceAtEnds, "name must not start or end with a space", {}};
  }
  return std::nullopt;
}

// ---- Fields -----------------------------------------------------------------------------

enum Field : std::size_t { kName, kPublicKey, kEndpoint, kFingerprint, kSignature, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"name", "public-key", "endpoint",
                                                                   "fingerprint", "signature"};
constexpr std::string_view kFieldOrder = "name, public-key, endpoint, fingerprint, signature";

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

template <std::size_t N>
std::array<std::uint8_t, N> decode_base64_field(std::string_view value, Field field,
                                                std::size_t line) {
  const std::string name(kFieldNames[field]);
  const std::optional<Bytes> bytes = from_base64(value);
  if (!bytes) throw CardError(name + " is not valid base64", line);
  if (bytes->size() != N) {
    throw CardError(
        name + " must be " + std::to_string(N) + " bytes, not " + std::to_string(bytes->size()),
        line);
  }
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

bool is_fingerprint_shaped(std::string_view text) {
  constexpr std::size_t kGroups = 12, kDigits = 5;
  if (text.size() != kGroups * kDigits + kGroups - 1) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool separator = i % (kDigits + 1) == kDigits;
    if (separator ? text[i] != ' ' : (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

class CardParser {
 public:
  void field_line(std::string_view line, std::size_t line_no) {
    line_ = line_no;
    std::string_view key = line;
    std::string_view value;
    if (const std::size_t sep = line.find(": "); sep != std::string_view::npos) {
      key = line.substr(0, sep);
      value = line.substr(sep + 2);
    } else if (!line.empty() && line.back() == ':') {
      key = line.substr(0, line.size() - 1);
    } else {
      fail("expected 'field: value'");
    }
    const auto found = std::find(kFieldNames.begin(), kFieldNames.end(), key);
    if (found == kFieldNames.end()) fail("unknown field " + in_quotes(key));
    const auto field = static_cast<Field>(found - kFieldNames.begin());
    check_order(field);
    ++counts_[field];
    switch (field) {
      case kName:
        if (auto problem = name_problem(value)) {
          throw CardError(problem->text, line_, problem->code, problem->values);
        }
        card_.name = std::string(value);
        break;
      case kPublicKey:
        card_.public_key = decode_base64_field<32>(value, field, line_);
        if (!crypto::dh_public_from_identity(card_.public_key)) {
          throw CardError("public-key is not a usable Ed25519 key (invalid or small-order point)",
                          line_, ErrorCode::kCardBadKey);
        }
        break;
      case kEndpoint:
        endpoint(value);
        break;
      case kFingerprint:
        if (!is_fingerprint_shaped(value)) fail("fingerprint must be 60 digits in 12 groups of 5");
        if (value != crypto::fingerprint(card_.public_key)) {
          throw CardError("fingerprint does not match the public key", line_,
                          ErrorCode::kCardFingerprintMismatch);
        }
        break;
      case kSignature:
        card_.signature = decode_base64_field<64>(value, field, line_);
        if (!crypto::verify_signature(card_.public_key, as_bytes(card_signed_text(card_)),
                                      card_.signature)) {
          throw CardError(
              "signature does not match the card (it was changed or not signed by its key)", line_,
              ErrorCode::kCardSignatureMismatch);
        }
        break;
      case kFieldCount:
        break;
    }
  }

  PeerCard finish() {
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      if (counts_[f] == 0) throw CardError("missing field " + in_quotes(kFieldNames[f]), {});
    }
    return std::move(card_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { throw CardError(problem, line_); }

  void check_order(Field field) const {
    if (field == kEndpoint && counts_[field] == kMaxCardEndpoints) {
      fail("too many endpoints (at most " + std::to_string(kMaxCardEndpoints) + ")");
    }
    if (field != kEndpoint && counts_[field] > 0)
      fail("duplicate field " + in_quotes(kFieldNames[field]));
    for (std::size_t later = field + 1; later < kFieldCount; ++later) {
      if (counts_[later] > 0) {
        fail("field " + in_quotes(kFieldNames[field]) + " is out of order (the order is " +
             std::string(kFieldOrder) + ")");
      }
    }
    for (std::size_t earlier = 0; earlier < field; ++earlier) {
      if (counts_[earlier] == 0) {
        fail("missing field " + in_quotes(kFieldNames[earlier]) + " before " +
             in_quotes(kFieldNames[field]));
      }
    }
  }

  void endpoint(std::string_view value) {
    net::Endpoint parsed;
    try {
      parsed = net::parse_endpoint_or_throw(value);
    } catch (const Error& e) {
      fail("bad endpoint " + in_quotes(value) + ": " + e.what());
    }
    const std::string canonical = parsed.to_string();
    if (canonical != value) {
      fail("endpoint " + in_quotes(value) + " is not in canonical form (write " +
           in_quotes(canonical) + ")");
    }
    if (std::find(card_.endpoints.begin(), card_.endpoints.end(), parsed) !=
        card_.endpoints.end()) {
      fail("duplicate endpoint " + in_quotes(value));
    }
    card_.endpoints.push_back(std::move(parsed));
  }

  PeerCard card_;
  std::array<std::size_t, kFieldCount> counts_{};
  std::size_t line_ = 0;
};

void check_header(std::string_view line, std::size_t line_no) {
  if (line == kCardHeader) return;
  constexpr std::string_view kPrefix = "hotline-card ";
  if (line.starts_with(kPrefix)) {
    const std::string_view version = line.substr(kPrefix.size());
    if (!version.empty() &&
        std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw CardError("unsupported card version " + std::string(version), line_no,
                      ErrorCode::kCardUnsupportedVersion, {std::string(version)});
    }
  }
  throw CardError("not a Hotline peer card (expected " + in_quotes(kCardHeader) + ")", line_no,
                  ErrorCode::kCardNotACard);
}

}  // namespace

namespace {

std::vector<std::string> card_values(std::optional<std::size_t> line, const std::string& problem,
                                     ErrorCode code, std::vector<std::string> values) {
  std::vector<std::string> out{line ? std::to_string(*line) : std::string()};
  if (code == ErrorCode::kCardDamaged) out.push_back(problem);
  out.insert(out.end(), std::make_move_iterator(values.begin()),
             std::make_move_iterator(values.end()));
  return out;
}

}  // namespace

CardError::CardError(const std::string& problem, std::optional<std::size_t> line, ErrorCode code,
                     std::vector<std::string> values)
    : Error(code, line ? "line " + std::to_string(*line) + ": " + problem : problem,
            card_values(line, problem, code, std::move(values))),
      line_(line) {}

void validate_console_name(std::string_view name) {
  if (auto problem = name_problem(name)) {
    throw CardError(problem->text, std::nullopt, problem->code, problem->values);
  }
}

PeerCard make_card(const crypto::Identity& identity, std::string name,
                   std::vector<net::Endpoint> endpoints) {
  validate_console_name(name);
  if (endpoints.empty() || endpoints.size() > kMaxCardEndpoints) {
    throw CardError("a card needs 1 to " + std::to_string(kMaxCardEndpoints) + " endpoints",
                    std::nullopt);
  }
  PeerCard card{std::move(name), identity.public_key(), std::move(endpoints), {}};
  card.signature = identity.sign(as_bytes(card_signed_text(card)));
  return card;
}

std::string card_signed_text(const PeerCard& card) {
  std::string text(kCardHeader);
  text += "\nname: " + card.name + "\npublic-key: " + to_base64(card.public_key) + "\n";
  for (const net::Endpoint& endpoint : card.endpoints) {
    text += "endpoint: " + endpoint.to_string() + "\n";
  }
  return text;
}

std::string serialize_card(const PeerCard& card) {
  return card_signed_text(card) + "fingerprint: " + crypto::fingerprint(card.public_key) +
         "\nsignature: " + to_base64(card.signature) + "\n";
}

PeerCard parse_card(std::string_view text) {
  if (text.size() > kMaxCardBytes) {
    const std::string bytes = std::to_string(text.size()), most = std::to_string(kMaxCardBytes);
    throw CardError("card is too long (" + bytes + " bytes; at most " + most + ")", std::nullopt,
                    ErrorCode::kCardTooLong, {bytes, most});
  }
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  CardParser parser;
  bool header_seen = false;
  std::optional<std::size_t> blank_line;
  for (std::size_t line_no = 1; !text.empty(); ++line_no) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (auto problem = line_problem(line)) throw CardError(*problem, line_no);

    if (!header_seen) {
      if (line.empty() || line.starts_with('#')) continue;
      check_header(line, line_no);
      header_seen = true;
    } else if (line.empty()) {
      if (!blank_line) blank_line = line_no;
    } else if (blank_line) {
      throw CardError("empty line inside the card", *blank_line);
    } else if (line.starts_with('#')) {
      throw CardError("comments are only allowed before the " + in_quotes(kCardHeader) + " line",
                      line_no);
    } else {
      parser.field_line(line, line_no);
    }
  }
  if (!header_seen) {
    throw CardError("not a Hotline peer card (no " + in_quotes(kCardHeader) + " line)",
                    std::nullopt, ErrorCode::kCardNotACard);
  }
  return parser.finish();
}

}  // namespace hotline::identity
