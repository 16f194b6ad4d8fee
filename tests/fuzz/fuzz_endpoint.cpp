// Endpoints arrive in peer cards, on the command line and in the settings. endpoint.hpp promises
// parse_endpoint(to_string()) gives the same endpoint, and the throwing variant must agree.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/net/endpoint.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<net::Endpoint> endpoint = net::parse_endpoint(text);
  std::optional<net::Endpoint> thrown_variant;
  try {
    thrown_variant = net::parse_endpoint_or_throw(text);
  } catch (const Error&) {
  }
  fuzz::require(thrown_variant == endpoint);
  if (!endpoint) return 0;

  fuzz::require(endpoint->port != 0);
  fuzz::require(net::parse_endpoint(endpoint->to_string()) == endpoint);
  // Only an unknown interface in an IPv6 scope may still be refused when the call is placed.
  const bool scoped = endpoint->host.find('%') != std::string::npos;
  try {
    (void)net::to_udp(*endpoint);
  } catch (const Error&) {
    fuzz::require(scoped);
  }
  return 0;
}
