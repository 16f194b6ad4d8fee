#include "core/identity/key_file.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <fstream>
#include <iterator>

#include "core/util/bytes.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::identity;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Equals;

namespace {

constexpr const char* kDamaged = "key file is damaged or not a Hotline key file";

crypto::SecretKey random_seed() {
  crypto::SecretKey seed;
  randombytes_buf(seed.data(), seed.size());
  return seed;
}

bool same(const crypto::SecretKey& a, const crypto::SecretKey& b) {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Replaces the file contents, keeping mode 0600.
void write_bytes(const std::filesystem::path& path, const Bytes& bytes) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  ::chmod(path.c_str(), 0600);
}

}  // namespace

TEST_CASE("an unprotected key file round-trips and is private") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  const crypto::SecretKey seed = random_seed();
  write_key_file(path, seed, std::nullopt);
  CHECK(test::file_mode(path) == 0600);
  CHECK(std::filesystem::file_size(path) == 42);
  CHECK_FALSE(key_file_needs_passphrase(path));
  CHECK(same(read_key_file(path, std::nullopt), seed));
  CHECK(same(read_key_file(path, "ignored for an unprotected file"), seed));
}

TEST_CASE("a passphrase-protected key file round-trips and hides the seed") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  const crypto::SecretKey seed = random_seed();
  write_key_file(path, seed, "correct horse", KeyFileCost::kInteractive);
  CHECK(test::file_mode(path) == 0600);
  CHECK(std::filesystem::file_size(path) == 114);
  CHECK(key_file_needs_passphrase(path));
  CHECK(same(read_key_file(path, "correct horse"), seed));

  const Bytes file = read_bytes(path);
  const Bytes raw(seed.data(), seed.data() + seed.size());
  CHECK(std::search(file.begin(), file.end(), raw.begin(), raw.end()) == file.end());
  CHECK(load_le64(file.data() + 10) == crypto_pwhash_OPSLIMIT_INTERACTIVE);
  CHECK(load_le64(file.data() + 18) == crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

TEST_CASE("the default cost is Argon2id MODERATE, recorded in the file") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  write_key_file(path, random_seed(), "pass");
  const Bytes file = read_bytes(path);
  REQUIRE(file.size() == 114);
  CHECK(load_le64(file.data() + 10) == crypto_pwhash_OPSLIMIT_MODERATE);
  CHECK(load_le64(file.data() + 18) == crypto_pwhash_MEMLIMIT_MODERATE);
}

TEST_CASE("a protected key file needs the right passphrase") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  write_key_file(path, random_seed(), "correct horse", KeyFileCost::kInteractive);
  CHECK_THROWS_WITH(read_key_file(path, std::nullopt), Equals("this key file needs a passphrase"));
  CHECK_THROWS_WITH(read_key_file(path, "correct hors"), Equals("wrong passphrase"));
  CHECK_THROWS_WITH(read_key_file(path, ""), Equals("wrong passphrase"));
  // Its own type, so that a prompt can ask again.
  CHECK_THROWS_AS(read_key_file(path, "correct hors"), WrongPassphrase);
}

TEST_CASE("an empty passphrase is refused when writing") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  CHECK_THROWS_WITH(write_key_file(path, random_seed(), ""),
                    Equals("the passphrase must not be empty"));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("damaged key files are recognised") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  write_key_file(path, random_seed(), "pw", KeyFileCost::kInteractive);
  const Bytes good = read_bytes(path);

  SECTION("truncated") {
    write_bytes(path, Bytes(good.begin(), good.begin() + 100));
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
    CHECK_THROWS_WITH(key_file_needs_passphrase(path), Equals(kDamaged));
  }
  SECTION("too long") {
    Bytes longer = good;
    longer.push_back(0);
    write_bytes(path, longer);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("empty") {
    write_bytes(path, {});
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("garbage of the right length") {
    Bytes garbage(good.size());
    randombytes_buf(garbage.data(), garbage.size());
    write_bytes(path, garbage);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("unknown version") {
    Bytes changed = good;
    changed[8] = 2;
    write_bytes(path, changed);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("protection kind that does not match the length") {
    Bytes changed = good;
    changed[9] = 0;
    write_bytes(path, changed);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("an absurd Argon2 cost is refused before any work") {
    Bytes changed = good;
    store_le64(changed.data() + 18, std::uint64_t{1} << 40);
    write_bytes(path, changed);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
    store_le64(changed.data() + 18, crypto_pwhash_MEMLIMIT_INTERACTIVE);
    store_le64(changed.data() + 10, 0);
    write_bytes(path, changed);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals(kDamaged));
  }
  SECTION("a flipped ciphertext bit fails authentication") {
    Bytes changed = good;
    changed.back() ^= 1;
    write_bytes(path, changed);
    CHECK_THROWS_WITH(read_key_file(path, "pw"), Equals("wrong passphrase"));
  }
}

TEST_CASE("key files readable by others are refused") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  const crypto::SecretKey seed = random_seed();
  write_key_file(path, seed, std::nullopt);
  for (const unsigned mode : {0644u, 0640u, 0604u, 0660u, 0606u}) {
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    CHECK_THROWS_WITH(read_key_file(path, std::nullopt),
                      Equals("key file permissions are too open (must be 0600)"));
    CHECK_THROWS_WITH(key_file_needs_passphrase(path),
                      Equals("key file permissions are too open (must be 0600)"));
  }
  REQUIRE(::chmod(path.c_str(), 0400) == 0);  // stricter is fine
  CHECK(same(read_key_file(path, std::nullopt), seed));
}

TEST_CASE("writing replaces an existing file atomically with mode 0600 despite the umask") {
  test::TempDir dir;
  const auto path = dir.path() / "identity.key";
  write_bytes(path, Bytes(10, 0xAA));
  REQUIRE(::chmod(path.c_str(), 0666) == 0);
  const mode_t old_umask = ::umask(0);
  const crypto::SecretKey seed = random_seed();
  write_key_file(path, seed, std::nullopt);
  ::umask(old_umask);
  CHECK(test::file_mode(path) == 0600);
  CHECK(same(read_key_file(path, std::nullopt), seed));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++entries;
  }
  CHECK(entries == 1);  // no temporary file left behind
}

TEST_CASE("a missing key file or a directory is reported") {
  test::TempDir dir;
  CHECK_THROWS_WITH(read_key_file(dir.path() / "absent.key", std::nullopt),
                    ContainsSubstring("cannot open key file"));
  std::filesystem::create_directory(dir.path() / "sub");
  ::chmod((dir.path() / "sub").c_str(), 0700);
  CHECK_THROWS_WITH(read_key_file(dir.path() / "sub", std::nullopt), Equals(kDamaged));
}
