#include "core/net/endpoint.hpp"

#include <net/if.h>

#include <catch2/catch_test_macros.hpp>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

using hotline::net::Endpoint;
using hotline::net::from_udp;
using hotline::net::parse_endpoint;
using hotline::net::parse_endpoint_or_throw;
using hotline::net::to_udp;

namespace {

// The message parse_endpoint_or_throw gives, or "" if it accepts the text.
std::string error_for(std::string_view text) {
  try {
    parse_endpoint_or_throw(text);
  } catch (const hotline::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("endpoint parses IPv4", "[endpoint]") {
  const auto endpoint = parse_endpoint("1.2.3.4:5000");
  REQUIRE(endpoint);
  CHECK(endpoint->host == "1.2.3.4");
  CHECK(endpoint->port == 5000);
  CHECK_FALSE(endpoint->is_v6());
  CHECK(endpoint->to_string() == "1.2.3.4:5000");
}

TEST_CASE("endpoint parses bracketed IPv6 and canonicalises it", "[endpoint]") {
  const auto loopback = parse_endpoint("[::1]:5000");
  REQUIRE(loopback);
  CHECK(loopback->host == "::1");
  CHECK(loopback->port == 5000);
  CHECK(loopback->is_v6());
  CHECK(loopback->to_string() == "[::1]:5000");

  const auto longhand = parse_endpoint("[2001:DB8:0:0:0:0:0:1]:65535");
  REQUIRE(longhand);
  CHECK(longhand->host == "2001:db8::1");
  CHECK(longhand->port == 65535);
  CHECK(longhand->to_string() == "[2001:db8::1]:65535");
}

TEST_CASE("endpoint keeps an IPv6 scope as written", "[endpoint]") {
  const auto scoped = parse_endpoint("[fe80::1%eth0]:5000");
  REQUIRE(scoped);
  CHECK(scoped->host == "fe80::1%eth0");
  CHECK(scoped->port == 5000);
  CHECK(scoped->to_string() == "[fe80::1%eth0]:5000");
  CHECK(parse_endpoint(scoped->to_string()) == scoped);
}

TEST_CASE("endpoint port bounds", "[endpoint]") {
  CHECK(parse_endpoint("1.2.3.4:1"));
  CHECK(parse_endpoint("1.2.3.4:65535"));
  CHECK(error_for("1.2.3.4:0") == "port out of range (1-65535)");
  CHECK(error_for("1.2.3.4:65536") == "port out of range (1-65535)");
  CHECK(error_for("[::1]:99999999999999999999999") == "port out of range (1-65535)");
}

TEST_CASE("endpoint refuses host names and says so", "[endpoint]") {
  const std::string not_address = "endpoint host must be an IPv4 or IPv6 address";
  CHECK(error_for("localhost:5000") == not_address);
  CHECK(error_for("hotline.example.org:5000") == not_address);
  CHECK(error_for("1.2.3:5000") == not_address);
  CHECK(error_for("1.2.3.256:5000") == not_address);
  CHECK(error_for("[::g]:5000") == not_address);
  CHECK(error_for("[1::2::3]:5000") == not_address);
  CHECK_FALSE(parse_endpoint("localhost:5000"));
}

TEST_CASE("endpoint error messages are precise", "[endpoint]") {
  CHECK(error_for("") == "endpoint is empty");
  CHECK(error_for("1.2.3.4") == "missing port");
  CHECK(error_for("1.2.3.4:") == "missing port");
  CHECK(error_for("[::1]") == "missing port");
  CHECK(error_for("[::1]:") == "missing port");
  CHECK(error_for(":5000") == "missing host");
  CHECK(error_for("1.2.3.4:50a0") == "port must be a decimal number");
  CHECK(error_for("1.2.3.4:+500") == "port must be a decimal number");
  CHECK(error_for("1.2.3.4:-1") == "port must be a decimal number");
  CHECK(error_for("1.2.3.4: 500") == "endpoint contains a space or non-printable character");
  CHECK(error_for(std::string_view("1.2.3.4\0:5", 10)) ==
        "endpoint contains a space or non-printable character");
  CHECK(error_for("[::1]5000") == "expected ':' and a port after ']'");
  CHECK(error_for("[::1:5000") == "missing closing ']' after IPv6 address");
  CHECK(error_for("::1:5000") == "IPv6 address must be written in brackets, e.g. [::1]:5000");
  CHECK(error_for("[1.2.3.4]:5000") == "brackets are only for IPv6 addresses");
  CHECK(error_for("[fe80::1%]:5000") == "IPv6 scope after '%' is empty");
  CHECK(error_for("[fe80::1%et/h0]:5000") == "IPv6 scope must be an interface name or number");
}

TEST_CASE("endpoint rejects garbage without crashing", "[endpoint]") {
  const std::string_view garbage[] = {
      ":",           "[]",       "[]:5",       "[",
      "]",           "::::",     " 1.2.3.4:5", "1.2.3.4:5 ",
      "1.2.3.4::5",  "[::1]]:5", "[[::1]]:5",  "\x01\x02:3",
      "1.2.3.4:5:6", "[::1]:5]", "%:5",        std::string_view("1.2.3.4\0:5", 10),
  };
  for (const auto text : garbage) {
    INFO(std::string(text));
    CHECK_FALSE(parse_endpoint(text));
    CHECK_FALSE(error_for(text).empty());
  }
}

TEST_CASE("endpoint converts to and from asio UDP endpoints", "[endpoint]") {
  const auto v4 = to_udp(parse_endpoint_or_throw("192.0.2.1:4000"));
  CHECK(v4.address() == asio::ip::make_address("192.0.2.1"));
  CHECK(v4.port() == 4000);
  CHECK(from_udp(v4) == parse_endpoint_or_throw("192.0.2.1:4000"));

  const auto v6 = to_udp(parse_endpoint_or_throw("[2001:db8::5]:4001"));
  CHECK(v6.address() == asio::ip::make_address("2001:db8::5"));
  CHECK(v6.port() == 4001);
  CHECK(from_udp(v6).to_string() == "[2001:db8::5]:4001");
}

TEST_CASE("endpoint resolves IPv6 scopes to interface indices", "[endpoint]") {
  const unsigned loopback_index = ::if_nametoindex("lo");
  REQUIRE(loopback_index != 0);
  const auto by_name = to_udp(parse_endpoint_or_throw("[fe80::1%lo]:5000"));
  CHECK(by_name.address().to_v6().scope_id() == loopback_index);
  const auto by_number =
      to_udp(parse_endpoint_or_throw("[fe80::1%" + std::to_string(loopback_index) + "]:5000"));
  CHECK(by_number.address().to_v6().scope_id() == loopback_index);
  CHECK(from_udp(by_name).port == 5000);
  CHECK(to_udp(from_udp(by_name)) == by_name);

  CHECK_THROWS_AS(to_udp(parse_endpoint_or_throw("[fe80::1%nosuchif0]:5000")), hotline::Error);
  CHECK_THROWS_AS(to_udp(parse_endpoint_or_throw("[fe80::1%0]:5000")), hotline::Error);
}

TEST_CASE("endpoint conversion refuses a hand-built invalid host", "[endpoint]") {
  CHECK_THROWS_AS(to_udp(Endpoint{"example.org", 5000}), hotline::Error);
  CHECK_THROWS_AS(to_udp(Endpoint{"::zz", 5000}), hotline::Error);
}
