#include <catch2/catch_test_macros.hpp>

#include "core/crypto/cookie.hpp"
#include "core/crypto/identity.hpp"
#include "core/crypto/mac.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/util/error.hpp"

namespace hotline::crypto {
namespace {

TEST_CASE("cookie, mac2 and cookie seal key known answers (docs/protocol.md §3.4)", "[mac]") {
  // Computed independently with Python's hashlib.blake2b.
  SecretKey secret;
  for (std::size_t i = 0; i < secret.size(); ++i) secret.data()[i] = static_cast<std::uint8_t>(i);
  // ::ffff:127.0.0.1, port 4000
  const std::array<std::uint8_t, 18> source{0, 0,    0,    0,   0, 0, 0, 0,    0,
                                            0, 0xff, 0xff, 127, 0, 0, 1, 0x0f, 0xa0};
  CHECK(to_hex(compute_cookie(secret, source)) == "247f2fe0ae80e3773270db4c82fc1dd7");
  Cookie cookie{};
  for (std::size_t i = 0; i < cookie.size(); ++i) cookie[i] = static_cast<std::uint8_t>(i);
  CHECK(to_hex(compute_mac2(cookie, as_bytes("abc"))) == "cc611a2673ca66e9f7fc64b995c5467c");
  CHECK(mac2_matches(cookie, as_bytes("abc"), compute_mac2(cookie, as_bytes("abc"))));
  CHECK_FALSE(mac2_matches(cookie, as_bytes("abd"), compute_mac2(cookie, as_bytes("abc"))));
  DhPublicKey responder{};
  for (std::size_t i = 0; i < responder.size(); ++i) responder[i] = static_cast<std::uint8_t>(i);
  CHECK(to_hex(CookieSealKey(responder).bytes()) ==
        "23e183f41d849970577acaafb23f2891bafd92709b873d0ae8d228560c90a648");
}

TEST_CASE("mac1 known answer and verification", "[mac]") {
  DhPublicKey receiver{};
  for (std::size_t i = 0; i < receiver.size(); ++i) receiver[i] = static_cast<std::uint8_t>(i);
  const Mac1Key key(receiver);
  // Computed independently with Python's hashlib.blake2b.
  CHECK(to_hex(compute_mac1(key, as_bytes("abc"))) == "77ca2adedddc3f5ee20b15c6db291642");

  const Bytes message = {1, 2, 3, 4, 5};
  const Mac1 mac = compute_mac1(key, message);
  CHECK(mac1_matches(key, message, mac));
  Mac1 flipped = mac;
  flipped[15] ^= 0x80;
  CHECK_FALSE(mac1_matches(key, message, flipped));
  CHECK_FALSE(mac1_matches(key, message, ByteSpan(mac).first(15)));
  receiver[0] ^= 1;
  CHECK_FALSE(mac1_matches(Mac1Key(receiver), message, mac));
}

TEST_CASE("TAI64N layout", "[tai64n]") {
  const Tai64n t = tai64n_from_unix(1, 2);
  CHECK(to_hex(t) == "400000000000000100000002");
  CHECK_THROWS_AS(tai64n_from_unix(0, 1'000'000'000), Error);
}

TEST_CASE("TAI64N ordering", "[tai64n]") {
  CHECK(is_newer(tai64n_from_unix(10, 0), tai64n_from_unix(9, 999'999'999)));
  CHECK(is_newer(tai64n_from_unix(10, 5), tai64n_from_unix(10, 4)));
  CHECK_FALSE(is_newer(tai64n_from_unix(10, 4), tai64n_from_unix(10, 4)));
  CHECK_FALSE(is_newer(tai64n_from_unix(9, 4), tai64n_from_unix(10, 4)));
}

TEST_CASE("TAI64N never repeats or goes back", "[tai64n]") {
  const Tai64n previous = tai64n_from_unix(100, 999'999'999);
  // A clock that stands still or steps back still yields a strictly later value.
  CHECK(tai64n_after(previous, previous) == tai64n_from_unix(101, 0));
  CHECK(tai64n_after(tai64n_from_unix(50, 0), previous) == tai64n_from_unix(101, 0));
  CHECK(tai64n_after(tai64n_from_unix(200, 0), previous) == tai64n_from_unix(200, 0));

  Tai64n last = tai64n_now();
  for (int i = 0; i < 10000; ++i) {
    const Tai64n next = tai64n_now();
    REQUIRE(is_newer(next, last));
    last = next;
  }
  CHECK(is_newer(last, tai64n_from_unix(1'600'000'000, 0)));
}

}  // namespace
}  // namespace hotline::crypto
