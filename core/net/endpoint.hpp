#pragma once
// A peer's UDP address as the user writes it: "1.2.3.4:5000", "[::1]:5000",
// "[fe80::1%eth0]:5000". Only IP literals: resolving names would leak who we call to DNS and
// make the address a peer is pinned to depend on a third party.

#include <asio.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::net {

struct Endpoint {
  // The address in canonical text (no brackets); an IPv6 scope is kept as written.
  std::string host;
  std::uint16_t port = 0;

  bool is_v6() const { return host.find(':') != std::string::npos; }
  // "1.2.3.4:5000" or "[::1]:5000"; parse_endpoint(to_string()) gives the same endpoint.
  std::string to_string() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// nullopt on anything that is not an IP literal with a port in 1..65535.
std::optional<Endpoint> parse_endpoint(std::string_view text);
// Same, but says what is wrong: throws hotline::Error ("missing port", "port out of range
// (1-65535)", "endpoint host must be an IPv4 or IPv6 address", ...).
Endpoint parse_endpoint_or_throw(std::string_view text);

// Throws hotline::Error if the host is not an address or names an unknown network interface.
asio::ip::udp::endpoint to_udp(const Endpoint& endpoint);
// Same, without throwing: nullopt when to_udp would throw.
std::optional<asio::ip::udp::endpoint> try_to_udp(const Endpoint& endpoint);
Endpoint from_udp(const asio::ip::udp::endpoint& endpoint);

}  // namespace hotline::net
