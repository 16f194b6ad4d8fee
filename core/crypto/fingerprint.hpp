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

// Short authentication string of a call (docs/protocol.md §2.3): the first 4 bytes of
// BLAKE2b-512(key = wire::kSasLabel, message = handshake hash || caller nonce || callee nonce).
// The caller commits to its nonce before it sees the callee's, so neither side — nor a man in
// the middle playing both — can choose its contribution after seeing the other's.
using SasCode = std::array<std::uint8_t, 4>;
SasCode sas_code(const wire::HandshakeHash& handshake_hash, const wire::SasNonce& caller_nonce,
                 const wire::SasNonce& callee_nonce);
// The 4 bytes as words of the PGP word list (even list for bytes 0 and 2, odd list for bytes
// 1 and 3).
std::vector<std::string> sas_words(const SasCode& code);
std::string sas_string(const SasCode& code);  // words joined by ' '
// The same 4 bytes as numbers, each written as exactly 3 decimal digits (000-255) and joined
// by ' ': what officials who do not share the words' language read aloud, each in their own.
std::string sas_digits(const SasCode& code);

wire::SasNonce random_sas_nonce();
// BLAKE2b-128(key = wire::kSasCommitmentLabel, message = nonce): what a CallRequest carries.
wire::SasCommitment sas_commitment(const wire::SasNonce& nonce);

}  // namespace hotline::crypto
