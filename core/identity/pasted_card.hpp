#pragma once
// A card pasted from a message rarely arrives exactly as written: mail and chat programs
// indent it, quote it ("> "), add trailing spaces and a signature after it. This finds the
// card in such text, for the paste path only (card files stay strict): from the line
// "hotline-card 1" to the "signature:" line, each line without its indentation, quoting and
// trailing whitespace. Nothing is guessed inside the card: parse_card() still checks every
// field and the signature over them, so text that is not the card as signed is refused.

#include <string>
#include <string_view>

namespace hotline::identity {

// The card's lines, LF-terminated; `pasted` unchanged when it holds no header line (so that
// parse_card names the problem).
std::string card_from_pasted_text(std::string_view pasted);

}  // namespace hotline::identity
