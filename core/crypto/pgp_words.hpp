#pragma once
// The PGP word list (Juola and Zimmermann, 1995; public domain): one spoken word per byte
// value. Bytes at even offsets use the two-syllable list and bytes at odd offsets the
// three-syllable list, so a swapped, repeated or dropped word is heard as wrong.

#include <array>
#include <cstdint>
#include <string_view>

namespace hotline::crypto {

const std::array<std::string_view, 256>& pgp_even_words();  // two syllables
const std::array<std::string_view, 256>& pgp_odd_words();   // three syllables

// The word for `byte` at position `offset` of the byte string being read out.
std::string_view pgp_word(std::uint8_t byte, std::size_t offset);

}  // namespace hotline::crypto
