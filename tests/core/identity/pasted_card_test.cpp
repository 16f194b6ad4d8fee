// A card pasted from a mail or chat message (indented, quoted, followed by a signature) is
// found and parses; anything that changes what was signed is still refused.

#include "core/identity/pasted_card.hpp"

#include <catch2/catch_test_macros.hpp>

#include "core/identity/peer_card.hpp"
#include "core/net/endpoint.hpp"

using namespace hotline;
using namespace hotline::identity;

namespace {

std::string indented(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out += prefix + text.substr(start, end - start) + "  \n";  // trailing spaces too
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("a pasted card is found in indented or quoted text with more text around it") {
  const crypto::Identity id = crypto::Identity::generate();
  const std::string card = serialize_card(
      make_card(id, "北京国防部", {net::parse_endpoint_or_throw("192.0.2.7:47000")}));
  // The defect: parse_card refused these outright.
  CHECK_THROWS_AS(parse_card("    " + card), CardError);
  CHECK_THROWS_AS(parse_card(card + "--\nRegards, the duty officer\n"), CardError);

  for (const std::string& pasted :
       {card, indented(card, "    "), indented(card, "\t"), indented(card, "> "),
        "Dear colleague,\nour console's card:\n\n" + indented(card, "  ") +
            "\n--\nRegards, the duty officer\nhotline-card 1 is our format\n",
        indented(card, "> ") + "\r\n> \r\n> sent from the duty desk\r\n"}) {
    CAPTURE(pasted);
    CHECK(card_from_pasted_text(pasted) == card);
    CHECK(parse_card(card_from_pasted_text(pasted)).public_key == id.public_key());
  }
}

TEST_CASE("pasted text without a card, or with a changed card, is refused with the reason") {
  CHECK(card_from_pasted_text("no card here\n") == "no card here\n");
  CHECK_THROWS_AS(parse_card(card_from_pasted_text("no card here\n")), CardError);

  const crypto::Identity id = crypto::Identity::generate();
  std::string card =
      serialize_card(make_card(id, "Tokyo", {net::parse_endpoint_or_throw("192.0.2.9:47000")}));
  card.replace(card.find("name: Tokyo"), 11, "name: Tokio");
  CHECK_THROWS_AS(parse_card(card_from_pasted_text("  " + card)), CardError);
  // Cut short (the signature line missing): refused, not completed.
  const std::string head = card.substr(0, card.find("signature:"));
  CHECK_THROWS_AS(parse_card(card_from_pasted_text(head + "\nthanks\n")), CardError);
}
