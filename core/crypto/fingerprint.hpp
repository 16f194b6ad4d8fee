#pragma once
// Fingerprints and short authentication strings: forms two people compare by voice.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/crypto/identity.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {

// 60 decimal digits in 12 groups of 5 separated by single spaces, derived from
// BLAKE2b-512(wire::kFingerprintLabel || key) (each 5-byte chunk big-endian mod 100000).
std::string fingerprint(const PublicKey& key);

// Short authentication string of a call: the first 4 bytes of
// BLAKE2b-512(key = wire::kSasLabel, message = handshake hash) as 4 words of the PGP word
// list (even list for bytes 0 and 2, odd list for bytes 1 and 3) — 32 bits.
std::vector<std::string> sas_words(const wire::HandshakeHash& handshake_hash);
std::string sas_string(const wire::HandshakeHash& handshake_hash);  // words joined by ' '
// The same 4 bytes as numbers, each written as exactly 3 decimal digits (000-255) and joined
// by ' ': what officials who do not share the words' language read aloud, each in their own.
std::string sas_digits(const wire::HandshakeHash& handshake_hash);

}  // namespace hotline::crypto
