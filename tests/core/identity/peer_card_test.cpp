#include "core/identity/peer_card.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <fstream>
#include <sstream>

#include "core/crypto/fingerprint.hpp"
#include "core/util/bytes.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::identity;
using Catch::Matchers::Equals;

namespace {

crypto::Identity fixed_identity(std::uint8_t fill) {
  std::array<std::uint8_t, 32> bytes{};
  bytes.fill(fill);
  return crypto::Identity::from_seed(crypto::SecretKey(std::span<const std::uint8_t, 32>(bytes)));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// A valid card's lines: 0 header, 1 name, 2 public-key, 3..4 endpoints, 5 fingerprint,
// 6 signature.
std::vector<std::string> good_lines() {
  const crypto::Identity id = fixed_identity(7);
  return lines_of(serialize_card(make_card(id, "Alpha",
                                           {net::parse_endpoint_or_throw("192.0.2.10:4500"),
                                            net::parse_endpoint_or_throw("[2001:db8::10]:4500")})));
}

// A card whose signature is valid for the given (possibly odd) name.
std::string card_named(const std::string& name) {
  const crypto::Identity id = fixed_identity(7);
  PeerCard card{name, id.public_key(), {net::parse_endpoint_or_throw("192.0.2.10:4500")}, {}};
  card.signature = id.sign(as_bytes(card_signed_text(card)));
  return serialize_card(card);
}

std::string with_line(std::size_t index, const std::string& replacement) {
  auto lines = good_lines();
  lines.at(index) = replacement;
  return join(lines);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

// ---- Round trips -------------------------------------------------------------------------

TEST_CASE("a card round-trips through text") {
  const crypto::Identity id = fixed_identity(7);
  const PeerCard card = make_card(id, "Alpha",
                                  {net::parse_endpoint_or_throw("192.0.2.10:4500"),
                                   net::parse_endpoint_or_throw("[2001:db8::10]:4500")});
  const std::string text = serialize_card(card);
  const PeerCard parsed = parse_card(text);
  CHECK(parsed.name == "Alpha");
  CHECK(parsed.public_key == id.public_key());
  CHECK(parsed.endpoints == card.endpoints);
  CHECK(parsed.signature == card.signature);
  CHECK(serialize_card(parsed) == text);
  CHECK(lines_of(text).at(5) == "fingerprint: " + crypto::fingerprint(id.public_key()));
}

TEST_CASE("Chinese console names round-trip") {
  const crypto::Identity id = fixed_identity(9);
  for (const std::string name : {"北京国防部", "中华人民共和国国防部作战指挥中心"}) {
    const PeerCard parsed = parse_card(
        serialize_card(make_card(id, name, {net::parse_endpoint_or_throw("198.51.100.1:4500")})));
    CHECK(parsed.name == name);
  }
}

TEST_CASE("the stored sample card matches the format byte for byte") {
  // Ed25519 signatures are deterministic, so a fixed seed gives a fixed card.
  const std::string sample = read_text(test::data_file("cards/alpha.card"));
  const crypto::Identity id = fixed_identity(7);
  CHECK(serialize_card(make_card(id, "Alpha",
                                 {net::parse_endpoint_or_throw("192.0.2.10:4500"),
                                  net::parse_endpoint_or_throw("[2001:db8::10]:4500")})) == sample);
  CHECK(parse_card(sample).name == "Alpha");
  const std::string chinese = read_text(test::data_file("cards/beijing.card"));
  CHECK(parse_card(chinese).name == "北京国防部");
}

TEST_CASE("accepted variations: CRLF, leading comments, BOM, trailing blank lines") {
  const std::string text = join(good_lines());
  std::string crlf;
  for (const char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(parse_card(crlf).name == "Alpha");
  CHECK(parse_card("# from Alpha, 2024\n\n# second comment\n" + text).name == "Alpha");
  CHECK(parse_card("\xEF\xBB\xBF" + text).name == "Alpha");
  CHECK(parse_card(text + "\n\n").name == "Alpha");
  CHECK(parse_card(text.substr(0, text.size() - 1)).name == "Alpha");  // no final newline
}

// ---- One rejection per reason ------------------------------------------------------------

TEST_CASE("card rejections name the problem and the line") {
  SECTION("wrong header") {
    CHECK_THROWS_WITH(parse_card(with_line(0, "hotline-kard 1")),
                      Equals("line 1: not a Hotline peer card (expected 'hotline-card 1')"));
  }
  SECTION("unsupported version") {
    CHECK_THROWS_WITH(parse_card(with_line(0, "hotline-card 2")),
                      Equals("line 1: unsupported card version 2"));
  }
  SECTION("no header at all") {
    CHECK_THROWS_WITH(parse_card("# only a comment\n"),
                      Equals("not a Hotline peer card (no 'hotline-card 1' line)"));
    CHECK_THROWS_WITH(parse_card(""), Equals("not a Hotline peer card (no 'hotline-card 1' line)"));
  }
  SECTION("unknown field") {
    auto lines = good_lines();
    lines.insert(lines.begin() + 2, "colour: red");
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("line 3: unknown field 'colour'"));
  }
  SECTION("line without a field") {
    CHECK_THROWS_WITH(parse_card(with_line(1, "name=Alpha")),
                      Equals("line 2: expected 'field: value'"));
  }
  SECTION("duplicate field") {
    auto lines = good_lines();
    lines.insert(lines.begin() + 2, "name: Alpha");
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("line 3: duplicate field 'name'"));
  }
  SECTION("field out of order") {
    auto lines = good_lines();
    std::swap(lines[1], lines[2]);
    CHECK_THROWS_WITH(parse_card(join(lines)),
                      Equals("line 2: missing field 'name' before 'public-key'"));
    lines = good_lines();
    lines.insert(lines.begin() + 5, lines[1]);
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("line 6: duplicate field 'name'"));
    lines = good_lines();
    std::swap(lines[4], lines[5]);  // fingerprint before the last endpoint
    CHECK_THROWS_WITH(parse_card(join(lines)),
                      Equals("line 6: field 'endpoint' is out of order (the order is name, "
                             "public-key, endpoint, fingerprint, signature)"));
  }
  SECTION("missing field") {
    auto lines = good_lines();
    lines.erase(lines.begin() + 5);  // fingerprint
    CHECK_THROWS_WITH(parse_card(join(lines)),
                      Equals("line 6: missing field 'fingerprint' before 'signature'"));
    lines = good_lines();
    lines.pop_back();  // signature
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("missing field 'signature'"));
  }
  SECTION("bad base64") {
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: not*base64")),
                      Equals("line 3: public-key is not valid base64"));
    CHECK_THROWS_WITH(parse_card(with_line(6, "signature: AAAA=")),
                      Equals("line 7: signature is not valid base64"));
  }
  SECTION("wrong key length") {
    const Bytes short_key(31, 0x42);
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: " + to_base64(short_key))),
                      Equals("line 3: public-key must be 32 bytes, not 31"));
  }
  SECTION("all-zero, small-order and off-curve keys") {
    const char* kBadKey =
        "line 3: public-key is not a usable Ed25519 key (invalid or small-order point)";
    Bytes key(32, 0);
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: " + to_base64(key))), Equals(kBadKey));
    key[0] = 1;  // the neutral element: order 1
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: " + to_base64(key))), Equals(kBadKey));
    key = *from_hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");  // order 2
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: " + to_base64(key))), Equals(kBadKey));
    key.assign(32, 0xFF);  // non-canonical encoding
    CHECK_THROWS_WITH(parse_card(with_line(2, "public-key: " + to_base64(key))), Equals(kBadKey));
  }
  SECTION("bad endpoint") {
    CHECK_THROWS_WITH(parse_card(with_line(3, "endpoint: example.org:4500")),
                      Equals("line 4: bad endpoint 'example.org:4500': endpoint host must be an "
                             "IPv4 or IPv6 address"));
    CHECK_THROWS_WITH(parse_card(with_line(3, "endpoint: 192.0.2.10")),
                      Equals("line 4: bad endpoint '192.0.2.10': missing port"));
    CHECK_THROWS_WITH(parse_card(with_line(4, "endpoint: [2001:DB8::10]:4500")),
                      Equals("line 5: endpoint '[2001:DB8::10]:4500' is not in canonical form "
                             "(write '[2001:db8::10]:4500')"));
    CHECK_THROWS_WITH(parse_card(with_line(4, "endpoint: 192.0.2.10:4500")),
                      Equals("line 5: duplicate endpoint '192.0.2.10:4500'"));
  }
  SECTION("too many endpoints") {
    auto lines = good_lines();
    for (int port = 1; port <= 3; ++port) {
      lines.insert(lines.begin() + 4, "endpoint: 192.0.2.20:" + std::to_string(port));
    }
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("line 8: too many endpoints (at most 4)"));
  }
  SECTION("fingerprint mismatch") {
    std::string fp = crypto::fingerprint(fixed_identity(7).public_key());
    fp[0] = fp[0] == '9' ? '0' : static_cast<char>(fp[0] + 1);
    CHECK_THROWS_WITH(parse_card(with_line(5, "fingerprint: " + fp)),
                      Equals("line 6: fingerprint does not match the public key"));
    CHECK_THROWS_WITH(parse_card(with_line(5, "fingerprint: 12345")),
                      Equals("line 6: fingerprint must be 60 digits in 12 groups of 5"));
  }
  SECTION("bad signature") {
    const char* kBadSignature =
        "line 7: signature does not match the card (it was changed or not signed by its key)";
    auto lines = good_lines();
    Bytes signature = *from_base64(lines[6].substr(std::string_view("signature: ").size()));
    signature[10] ^= 0x01;
    CHECK_THROWS_WITH(parse_card(with_line(6, "signature: " + to_base64(signature))),
                      Equals(kBadSignature));
    // A changed name (still valid) with the original signature.
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: Alphb")), Equals(kBadSignature));
    // A changed endpoint with the original signature.
    CHECK_THROWS_WITH(parse_card(with_line(3, "endpoint: 192.0.2.11:4500")), Equals(kBadSignature));
    CHECK_THROWS_WITH(parse_card(with_line(6, "signature: " + to_base64(Bytes(63, 1)))),
                      Equals("line 7: signature must be 64 bytes, not 63"));
  }
  SECTION("over-long file") {
    const std::string text = join(good_lines());
    const std::string padded = "#" + std::string(kMaxCardBytes - text.size() - 2, 'x') + "\n";
    CHECK(parse_card(padded + text).name == "Alpha");  // exactly 4096 bytes is fine
    CHECK_THROWS_WITH(parse_card("#" + padded + text),
                      Equals("card is too long (4097 bytes; at most 4096)"));
  }
  SECTION("invalid UTF-8") {
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: Alph\xC3\x28")),
                      Equals("line 2: not valid UTF-8"));
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: \xC0\xAF")),  // overlong '/'
                      Equals("line 2: not valid UTF-8"));
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: \xED\xA0\x80")),  // surrogate
                      Equals("line 2: not valid UTF-8"));
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: \xE5\x8C")),  // truncated
                      Equals("line 2: not valid UTF-8"));
    CHECK_THROWS_WITH(parse_card("# \xFF\n" + join(good_lines())),
                      Equals("line 1: not valid UTF-8"));
  }
  SECTION("control characters") {
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: Al\tpha")),
                      Equals("line 2: contains a control character"));
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: Al\rpha")),
                      Equals("line 2: contains a control character"));
    CHECK_THROWS_WITH(parse_card(with_line(1, "name: Al\xC2\x85pha")),  // C1 NEL
                      Equals("line 2: contains a control character"));
  }
  SECTION("comments and blank lines inside the card") {
    auto lines = good_lines();
    lines.insert(lines.begin() + 2, "# comment");
    CHECK_THROWS_WITH(parse_card(join(lines)),
                      Equals("line 3: comments are only allowed before the 'hotline-card 1' line"));
    lines = good_lines();
    lines.insert(lines.begin() + 2, "");
    CHECK_THROWS_WITH(parse_card(join(lines)), Equals("line 3: empty line inside the card"));
  }
}

TEST_CASE("console names are validated in cards and when making cards") {
  // Each card below is correctly signed, so only the name rule can reject it.
  CHECK_THROWS_WITH(parse_card(card_named("")), Equals("line 2: name is empty"));
  CHECK_THROWS_WITH(parse_card(card_named(" Alpha")),
                    Equals("line 2: name must not start or end with a space"));
  CHECK_THROWS_WITH(parse_card(card_named("Alpha\xE3\x80\x80")),  // ideographic space
                    Equals("line 2: name must not start or end with a space"));
  CHECK_THROWS_WITH(parse_card(card_named("Alpha\xE2\x80\xAE"
                                          "ahplA")),  // RIGHT-TO-LEFT OVERRIDE
                    Equals("line 2: name contains an invisible formatting character"));
  CHECK_THROWS_WITH(parse_card(card_named(std::string(65, 'a'))),
                    Equals("line 2: name is too long (65 bytes; at most 64)"));
  CHECK(parse_card(card_named(std::string(64, 'a'))).name == std::string(64, 'a'));
  // 21 three-byte characters = 63 bytes; 22 would be 66.
  std::string han;
  for (int i = 0; i < 21; ++i) han += "国";
  CHECK(parse_card(card_named(han)).name == han);
  CHECK_THROWS_WITH(parse_card(card_named(han + "国")),
                    Equals("line 2: name is too long (66 bytes; at most 64)"));
  CHECK(parse_card(card_named("Ops Room 2")).name == "Ops Room 2");

  const crypto::Identity id = fixed_identity(7);
  CHECK_THROWS_WITH(make_card(id, "Alpha ", {net::parse_endpoint_or_throw("192.0.2.1:1")}),
                    Equals("name must not start or end with a space"));
  CHECK_THROWS_AS(validate_console_name("a\nb"), CardError);
  CHECK_NOTHROW(validate_console_name("北京国防部"));
}

TEST_CASE("make_card needs one to four endpoints") {
  const crypto::Identity id = fixed_identity(7);
  CHECK_THROWS_WITH(make_card(id, "Alpha", {}), Equals("a card needs 1 to 4 endpoints"));
  std::vector<net::Endpoint> five;
  for (int port = 1; port <= 5; ++port)
    five.push_back(net::parse_endpoint_or_throw("192.0.2.1:" + std::to_string(port)));
  CHECK_THROWS_WITH(make_card(id, "Alpha", five), Equals("a card needs 1 to 4 endpoints"));
  five.pop_back();
  CHECK(parse_card(serialize_card(make_card(id, "Alpha", five))).endpoints.size() == 4);
}

TEST_CASE("CardError carries the line number") {
  try {
    parse_card(with_line(2, "public-key: x"));
    FAIL("expected a CardError");
  } catch (const CardError& e) {
    CHECK(e.line() == 3);
  }
  try {
    parse_card(std::string(5000, '#'));
    FAIL("expected a CardError");
  } catch (const CardError& e) {
    CHECK_FALSE(e.line());
  }
}
