#include "core/crypto/fingerprint.hpp"

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <regex>
#include <set>

#include "core/crypto/pgp_words.hpp"

namespace hotline::crypto {
namespace {

wire::HandshakeHash random_hash() {
  wire::HandshakeHash hash{};
  randombytes_buf(hash.data(), hash.size());
  return hash;
}

std::string encode(std::string_view hex_text) {
  const auto bytes = from_hex(hex_text);
  REQUIRE(bytes.has_value());
  std::string out;
  for (std::size_t i = 0; i < bytes->size(); ++i) {
    if (i > 0) out += ' ';
    out += pgp_word((*bytes)[i], i);
  }
  return out;
}

TEST_CASE("PGP word lists are complete and unique", "[sas]") {
  const auto& even = pgp_even_words();
  const auto& odd = pgp_odd_words();
  CHECK(std::set<std::string_view>(even.begin(), even.end()).size() == 256);
  CHECK(std::set<std::string_view>(odd.begin(), odd.end()).size() == 256);
  std::set<std::string_view> both(even.begin(), even.end());
  both.insert(odd.begin(), odd.end());
  CHECK(both.size() == 512);
  CHECK(even.front() == "aardvark");
  CHECK(even.back() == "Zulu");
  CHECK(odd.front() == "adroitness");
  CHECK(odd.back() == "Yucatan");
}

TEST_CASE("PGP word encoding matches published examples", "[sas]") {
  // The PGP word list's own worked example and two more from independent implementations.
  CHECK(encode("E58294F2E9A227486E8B061B31CC528FD7FA3F19") ==
        "topmost Istanbul Pluto vagabond treadmill Pacific brackish dictator goldfish Medusa "
        "afflict bravado chatter revolver Dupont midsummer stopwatch whimsical cowbell bottomless");
  CHECK(encode("d1c225e426c633dd94d1a7e8c3f408aa9b342488") ==
        "stairway repellent bombast tradition bookshelf responsive chisel tambourine Pluto "
        "scavenger repay typewriter snowcap Virginia aimless pedigree puppy confidence bluebird "
        "maritime");
  CHECK(encode("5B1DCA6E") == "erase breakaway spellbind headwaters");
}

TEST_CASE("fingerprint format and known answer", "[fingerprint]") {
  PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  const std::string text = fingerprint(key);
  CHECK(std::regex_match(text, std::regex("([0-9]{5} ){11}[0-9]{5}")));
  // Computed independently with Python's hashlib.blake2b.
  CHECK(text == "83510 96801 38133 13550 24013 34004 64967 57626 03542 23386 08548 02370");
  key[31] ^= 1;
  CHECK(fingerprint(key) != text);
}

TEST_CASE("SAS is deterministic, 4 alternating words, and the same on both sides", "[sas]") {
  wire::HandshakeHash hash{};
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(i);
  wire::SasNonce caller{};
  wire::SasNonce callee{};
  for (std::size_t i = 0; i < caller.size(); ++i) {
    caller[i] = static_cast<std::uint8_t>(0x40 + i);
    callee[i] = static_cast<std::uint8_t>(0x50 + i);
  }
  const SasCode code = sas_code(hash, caller, callee);
  // Keyed BLAKE2b-512 of the bytes 00..5f, first bytes 98 78 89 93 (Python's hashlib).
  CHECK(code == SasCode{0x98, 0x78, 0x89, 0x93});
  CHECK(sas_words(code).size() == 4);
  CHECK(sas_string(code) == "printer indigo nightbird molasses");
  // The same bytes as numbers, for officials who read them in their own language.
  CHECK(sas_digits(code) == "152 120 137 147");

  const auto copy = hash;  // the other side's hash is equal byte for byte
  CHECK(sas_code(copy, caller, callee) == code);
  // Each nonce counts, and their order (caller first) does.
  auto other = callee;
  other[15] ^= 1;
  CHECK(sas_code(hash, caller, other) != code);
  CHECK(sas_code(hash, callee, caller) != code);
}

TEST_CASE("SAS commitment: known answer, and it changes with every bit of the nonce", "[sas]") {
  wire::SasNonce nonce{};
  for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(0x40 + i);
  const wire::SasCommitment c = sas_commitment(nonce);
  // BLAKE2b-128(key = "hotline-sas-commitment/2", 40..4f), Python's hashlib.
  CHECK(c == wire::SasCommitment{0xb3, 0xaa, 0x8b, 0x37, 0x1a, 0x28, 0x6a, 0xda, 0xb3, 0x8e, 0xa7,
                                 0xe6, 0xfa, 0x62, 0xd3, 0xbb});
  for (std::size_t bit = 0; bit < 8 * nonce.size(); ++bit) {
    auto flipped = nonce;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    CHECK(sas_commitment(flipped) != c);
  }
  CHECK(random_sas_nonce() != random_sas_nonce());
}

TEST_CASE("different hashes give different SAS", "[sas]") {
  std::set<std::string> seen;
  constexpr int kTrials = 200;
  const wire::SasNonce caller = random_sas_nonce();
  const wire::SasNonce callee = random_sas_nonce();
  for (int i = 0; i < kTrials; ++i)
    seen.insert(sas_string(sas_code(random_hash(), caller, callee)));
  // 32 bits: a collision among 200 draws has probability below 1e-5.
  CHECK(seen.size() == kTrials);

  auto hash = random_hash();
  const std::string before = sas_string(sas_code(hash, caller, callee));
  hash[63] ^= 1;
  CHECK(sas_string(sas_code(hash, caller, callee)) != before);
}

}  // namespace
}  // namespace hotline::crypto
