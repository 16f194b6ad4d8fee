#include "core/identity/profile.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cstdlib>
#include <fstream>

#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::identity;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Equals;

namespace {

net::Endpoint endpoint(std::string_view text) {
  return net::parse_endpoint_or_throw(text);
}

std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string card_of(const std::string& name, const std::string& where) {
  const crypto::Identity other = crypto::Identity::generate();
  return serialize_card(make_card(other, name, {endpoint(where)}));
}

// Restores an environment variable when the test ends.
class EnvGuard {
 public:
  explicit EnvGuard(const char* name) : name_(name) {
    if (const char* value = std::getenv(name)) saved_ = value;
  }
  ~EnvGuard() {
    if (saved_) {
      ::setenv(name_, saved_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("create, reopen and unlock a profile without a passphrase") {
  test::TempDir root;
  const auto dir = root.path() / "profile";
  crypto::PublicKey created_key{};
  {
    Profile profile = Profile::create(dir, "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
    CHECK(profile.unlocked());
    created_key = profile.identity().public_key();
    CHECK(profile.public_key() == created_key);
  }
  CHECK(entries(dir) == std::vector<std::string>{"hotline.db", "identity.key"});
  CHECK(entries(root.path()) == std::vector<std::string>{"profile"});  // no temp sibling
  CHECK(test::file_mode(dir) == 0700);
  CHECK(test::file_mode(dir / "identity.key") == 0600);
  CHECK(test::file_mode(dir / "hotline.db") == 0600);

  Profile profile = Profile::open(dir);
  CHECK(profile.name() == "Alpha");
  CHECK(profile.listen() == endpoint("192.0.2.1:4500"));
  CHECK(profile.public_key() == created_key);
  CHECK_FALSE(profile.unlocked());
  CHECK_FALSE(profile.key_needs_passphrase());
  CHECK_THROWS_WITH(profile.identity(), Equals("the profile is locked; unlock it first"));
  CHECK_THROWS(profile.own_card());
  CHECK(profile.unlock(std::nullopt).public_key() == created_key);
  CHECK(profile.identity().public_key() == created_key);

  const PeerCard card = parse_card(serialize_card(profile.own_card()));
  CHECK(card.name == "Alpha");
  CHECK(card.public_key == created_key);
  CHECK(card.endpoints == std::vector<net::Endpoint>{endpoint("192.0.2.1:4500")});
}

TEST_CASE("a passphrase-protected profile opens locked and unlocks with the passphrase") {
  test::TempDir root;
  const auto dir = root.path() / "profile";
  const crypto::PublicKey key = Profile::create(dir, "北京国防部", endpoint("[2001:db8::1]:4500"),
                                                "s3cret", KeyFileCost::kInteractive)
                                    .public_key();
  Profile profile = Profile::open(dir);
  CHECK(profile.name() == "北京国防部");
  CHECK(profile.key_needs_passphrase());
  CHECK_THROWS_WITH(profile.unlock(std::nullopt), Equals("this key file needs a passphrase"));
  CHECK_THROWS_WITH(profile.unlock("S3cret"), Equals("wrong passphrase"));
  CHECK_FALSE(profile.unlocked());
  CHECK(profile.unlock("s3cret").public_key() == key);
}

TEST_CASE("create refuses an existing profile or a non-empty directory") {
  test::TempDir root;
  const auto dir = root.path() / "profile";
  std::filesystem::create_directory(dir);
  { std::ofstream(dir / "notes.txt") << "keep me"; }
  CHECK_THROWS_WITH(Profile::create(dir, "Alpha", endpoint("192.0.2.1:4500"), std::nullopt),
                    ContainsSubstring("already exists and is not empty"));
  CHECK(entries(dir) == std::vector<std::string>{"notes.txt"});
  CHECK(entries(root.path()) == std::vector<std::string>{"profile"});

  const auto second = root.path() / "second";
  Profile::create(second, "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
  const auto before = Profile::open(second).public_key();
  CHECK_THROWS(Profile::create(second, "Bravo", endpoint("192.0.2.1:4500"), std::nullopt));
  CHECK(Profile::open(second).public_key() == before);
  CHECK(Profile::open(second).name() == "Alpha");

  const auto empty = root.path() / "empty";
  std::filesystem::create_directory(empty);
  CHECK(Profile::create(empty, "Charlie", endpoint("192.0.2.1:4500"), std::nullopt).name() ==
        "Charlie");
}

TEST_CASE("a refused create leaves nothing behind") {
  test::TempDir root;
  const auto dir = root.path() / "profile";
  CHECK_THROWS_AS(Profile::create(dir, " bad name", endpoint("192.0.2.1:4500"), std::nullopt),
                  CardError);
  CHECK_THROWS_WITH(Profile::create(dir, "Alpha", net::Endpoint{"192.0.2.1", 0}, std::nullopt),
                    Equals("port out of range (1-65535)"));
  CHECK_THROWS_WITH(Profile::create(dir, "Alpha", endpoint("192.0.2.1:4500"), ""),
                    Equals("the passphrase must not be empty"));
  CHECK(entries(root.path()).empty());
}

TEST_CASE("open explains a missing or incomplete profile") {
  test::TempDir root;
  const auto dir = root.path() / "nothing";
  CHECK_THROWS_WITH(Profile::open(dir),
                    Equals("no profile in " + dir.string() + "; run 'hotline init' first"));
  CHECK_FALSE(std::filesystem::exists(dir));

  const auto made = root.path() / "made";
  Profile::create(made, "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
  std::filesystem::remove(made / "identity.key");
  CHECK_THROWS_WITH(Profile::open(made), ContainsSubstring("identity.key is missing"));
}

TEST_CASE("a key file from another profile is refused at unlock") {
  test::TempDir root;
  Profile::create(root.path() / "a", "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
  Profile::create(root.path() / "b", "Bravo", endpoint("192.0.2.2:4500"), std::nullopt);
  std::filesystem::copy_file(root.path() / "b" / "identity.key", root.path() / "a" / "identity.key",
                             std::filesystem::copy_options::overwrite_existing);
  Profile profile = Profile::open(root.path() / "a");
  CHECK_THROWS_WITH(profile.unlock(std::nullopt), ContainsSubstring("does not belong"));
  CHECK_FALSE(profile.unlocked());
}

TEST_CASE("importing cards") {
  test::TempDir root;
  Profile profile =
      Profile::create(root.path() / "p", "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
  const std::string bravo = card_of("Bravo", "198.51.100.7:4500");

  SECTION("a good card is stored with its endpoints and canonical text") {
    CHECK(profile.import_card(bravo, std::nullopt) == "Bravo");
    const auto stored = profile.peers().find_by_name("Bravo");
    REQUIRE(stored);
    CHECK(stored->public_key == parse_card(bravo).public_key);
    CHECK(stored->endpoints == std::vector<std::string>{"198.51.100.7:4500"});
    CHECK(stored->card_text == bravo);
    CHECK(stored->enabled);
    CHECK_FALSE(stored->psk);
    CHECK(stored->imported_at > 0);
  }
  SECTION("an endpoint override replaces the card's endpoints") {
    std::string crlf;
    for (const char c : bravo) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    profile.import_card(crlf, endpoint("[2001:db8::7]:4600"));
    const auto stored = profile.peers().find_by_name("Bravo");
    REQUIRE(stored);
    CHECK(stored->endpoints == std::vector<std::string>{"[2001:db8::7]:4600"});
    CHECK(stored->card_text == bravo);  // stored canonically (LF)
  }
  SECTION("our own card is refused") {
    profile.unlock(std::nullopt);
    CHECK_THROWS_WITH(profile.import_card(serialize_card(profile.own_card()), std::nullopt),
                      ContainsSubstring("own card"));
    CHECK(profile.peers().list().empty());
  }
  SECTION("duplicates are refused and change nothing") {
    profile.import_card(bravo, std::nullopt);
    CHECK_THROWS_WITH(profile.import_card(bravo, endpoint("203.0.113.1:1")),
                      Equals("a peer named 'Bravo' already exists"));
    CHECK_THROWS_WITH(profile.import_card(card_of("Bravo", "203.0.113.1:1"), std::nullopt),
                      Equals("a peer named 'Bravo' already exists"));
    const auto all = profile.peers().list();
    REQUIRE(all.size() == 1);
    CHECK(all[0].endpoints == std::vector<std::string>{"198.51.100.7:4500"});
    CHECK(all[0].card_text == bravo);
  }
  SECTION("the same key under another name is refused") {
    const crypto::Identity other = crypto::Identity::generate();
    profile.import_card(serialize_card(make_card(other, "Bravo", {endpoint("192.0.2.9:1")})),
                        std::nullopt);
    CHECK_THROWS_WITH(
        profile.import_card(serialize_card(make_card(other, "Bravo 2", {endpoint("192.0.2.9:1")})),
                            std::nullopt),
        Equals("this key is already imported as peer 'Bravo'"));
    CHECK(profile.peers().list().size() == 1);
  }
  SECTION("a bad card is refused and stores nothing") {
    std::string tampered = bravo;
    tampered.replace(tampered.find("Bravo"), 5, "Bravx");
    CHECK_THROWS_AS(profile.import_card(tampered, std::nullopt), CardError);
    CHECK(profile.peers().list().empty());
  }
  SECTION("imports persist") {
    profile.import_card(bravo, std::nullopt);
    const auto dir = profile.directory();
    { Profile moved = std::move(profile); }  // closes the database
    CHECK(Profile::open(dir).peers().find_by_name("Bravo"));
  }
}

TEST_CASE("a profile can be moved and keeps working") {
  test::TempDir root;
  Profile first =
      Profile::create(root.path() / "p", "Alpha", endpoint("192.0.2.1:4500"), std::nullopt);
  Profile second = std::move(first);
  second.import_card(card_of("Bravo", "198.51.100.7:4500"), std::nullopt);
  std::vector<Profile> profiles;
  profiles.push_back(std::move(second));
  CHECK(profiles[0].peers().list().size() == 1);
  CHECK(profiles[0].settings().get("own_name") == "Alpha");
  CHECK(profiles[0].identity().public_key() == profiles[0].public_key());
}

TEST_CASE("the default directory follows XDG_DATA_HOME, then HOME") {
  EnvGuard xdg("XDG_DATA_HOME");
  EnvGuard home("HOME");
  ::setenv("HOME", "/home/op", 1);
  ::setenv("XDG_DATA_HOME", "/data/xdg", 1);
  CHECK(Profile::default_directory() == "/data/xdg/hotline-console");
  ::setenv("XDG_DATA_HOME", "relative/ignored", 1);
  CHECK(Profile::default_directory() == "/home/op/.local/share/hotline-console");
  ::unsetenv("XDG_DATA_HOME");
  CHECK(Profile::default_directory() == "/home/op/.local/share/hotline-console");
}

TEST_CASE("the own card advertises a reachable address, never 0.0.0.0") {
  test::TempDir root;
  Profile profile = Profile::create(root.path() / "p", "Alpha", endpoint("0.0.0.0:4500"),
                                    std::nullopt, KeyFileCost::kInteractive);
  CHECK_THROWS_WITH(profile.own_card(), ContainsSubstring("not 0.0.0.0:4500"));
  const PeerCard card =
      parse_card(serialize_card(profile.own_card({endpoint("[2001:db8::7]:4500")})));
  CHECK(card.endpoints == std::vector<net::Endpoint>{endpoint("[2001:db8::7]:4500")});
}
