#include "core/net/endpoint.hpp"

#include <net/if.h>

#include <charconv>
#include <variant>

#include "core/util/error.hpp"

namespace hotline::net {

namespace {

// Why a text is not an endpoint.
struct Problem {
  ErrorCode code;
  const char* text;
};
constexpr Problem kNotAnAddress{ErrorCode::kEndpointNotAnAddress,
                                "endpoint host must be an IPv4 or IPv6 address"};

// Either the endpoint or the reason it is not one.
using ParseResult = std::variant<Endpoint, Problem>;

bool is_scope_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Interface index for a scope written as a name ("eth0") or a number ("2"); 0 if unknown.
unsigned long scope_index(std::string_view scope) {
  if (all_digits(scope)) {
    unsigned long index = 0;
    const auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), index);
    if (ec != std::errc() || end != scope.data() + scope.size()) return 0;
    return index;
  }
  const std::string name(scope);
  return ::if_nametoindex(name.c_str());
}

std::variant<std::string, Problem> canonical_v6(std::string_view text) {
  std::string_view address = text;
  std::string_view scope;
  if (const auto percent = text.find('%'); percent != std::string_view::npos) {
    address = text.substr(0, percent);
    scope = text.substr(percent + 1);
    if (scope.empty())
      return Problem{ErrorCode::kEndpointEmptyScope, "IPv6 scope after '%' is empty"};
    for (char c : scope) {
      if (!is_scope_char(c))
        return Problem{ErrorCode::kEndpointBadScope,
                       "IPv6 scope must be an interface name or number"};
    }
  }
  asio::error_code ec;
  const auto v6 = asio::ip::make_address_v6(std::string(address), ec);
  if (ec) return kNotAnAddress;
  std::string canonical = v6.to_string();
  if (!scope.empty()) {
    canonical += '%';
    canonical += scope;
  }
  return canonical;
}

ParseResult parse(std::string_view text) {
  if (text.empty()) return Problem{ErrorCode::kEndpointEmpty, "endpoint is empty"};
  // Also guards the C string calls below against an embedded NUL.
  for (char c : text) {
    if (c <= ' ' || c > '~')
      return Problem{ErrorCode::kEndpointBadCharacter,
                     "endpoint contains a space or non-printable character"};
  }
  std::string host;
  std::string_view rest;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return Problem{ErrorCode::kEndpointUnclosedBracket, "missing closing ']' after IPv6 address"};
    const std::string_view inside = text.substr(1, close - 1);
    if (inside.find(':') == std::string_view::npos) {
      return Problem{ErrorCode::kEndpointBracketsNotIpv6, "brackets are only for IPv6 addresses"};
    }
    auto v6 = canonical_v6(inside);
    if (auto* problem = std::get_if<Problem>(&v6)) return *problem;
    host = std::get<std::string>(std::move(v6));
    rest = text.substr(close + 1);
    if (rest.empty()) return Problem{ErrorCode::kEndpointMissingPort, "missing port"};
    if (rest.front() != ':')
      return Problem{ErrorCode::kEndpointNoPortAfterBracket, "expected ':' and a port after ']'"};
    rest.remove_prefix(1);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return Problem{ErrorCode::kEndpointMissingPort, "missing port"};
    const std::string_view address = text.substr(0, colon);
    if (address.find(':') != std::string_view::npos) {
      return Problem{ErrorCode::kEndpointIpv6NeedsBrackets,
                     "IPv6 address must be written in brackets, e.g. [::1]:5000"};
    }
    if (address.empty()) return Problem{ErrorCode::kEndpointMissingHost, "missing host"};
    asio::error_code ec;
    const auto v4 = asio::ip::make_address_v4(std::string(address), ec);
    if (ec) return kNotAnAddress;
    host = v4.to_string();
    rest = text.substr(colon + 1);
  }
  if (rest.empty()) return Problem{ErrorCode::kEndpointMissingPort, "missing port"};
  if (!all_digits(rest))
    return Problem{ErrorCode::kEndpointPortNotNumber, "port must be a decimal number"};
  unsigned long port = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  if (ec != std::errc() || end != rest.data() + rest.size() || port < 1 || port > 65535) {
    return Problem{ErrorCode::kEndpointPortOutOfRange, "port out of range (1-65535)"};
  }
  return Endpoint{std::move(host), static_cast<std::uint16_t>(port)};
}

}  // namespace

std::string Endpoint::to_string() const {
  const std::string port_text = std::to_string(port);
  if (is_v6()) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  auto result = parse(text);
  if (auto* endpoint = std::get_if<Endpoint>(&result)) return std::move(*endpoint);
  return std::nullopt;
}

Endpoint parse_endpoint_or_throw(std::string_view text) {
  auto result = parse(text);
  if (auto* problem = std::get_if<Problem>(&result)) {
    throw Error(problem->code, problem->text, {std::string(text)});
  }
  return std::get<Endpoint>(std::move(result));
}

asio::ip::udp::endpoint to_udp(const Endpoint& endpoint) {
  asio::error_code ec;
  if (!endpoint.is_v6()) {
    const auto v4 = asio::ip::make_address_v4(endpoint.host, ec);
    if (ec) throw Error(kNotAnAddress.code, kNotAnAddress.text, {endpoint.to_string()});
    return {v4, endpoint.port};
  }
  // The scope is resolved here rather than by asio, which silently turns an unknown
  // interface name into scope 0.
  std::string_view host = endpoint.host;
  std::string_view scope;
  if (const auto percent = host.find('%'); percent != std::string_view::npos) {
    scope = host.substr(percent + 1);
    host = host.substr(0, percent);
  }
  auto v6 = asio::ip::make_address_v6(std::string(host), ec);
  if (ec) throw Error(kNotAnAddress.code, kNotAnAddress.text, {endpoint.to_string()});
  if (!scope.empty()) {
    const unsigned long index = scope_index(scope);
    if (index == 0 || index > 0xffffffffUL) {
      throw Error(ErrorCode::kEndpointUnknownInterface, "unknown network interface in IPv6 scope",
                  {endpoint.to_string()});
    }
    v6.scope_id(static_cast<asio::ip::scope_id_type>(index));
  }
  return {v6, endpoint.port};
}

std::optional<asio::ip::udp::endpoint> try_to_udp(const Endpoint& endpoint) {
  try {
    return to_udp(endpoint);
  } catch (const Error&) {
    return std::nullopt;
  }
}

Endpoint from_udp(const asio::ip::udp::endpoint& endpoint) {
  return Endpoint{endpoint.address().to_string(), endpoint.port()};
}

}  // namespace hotline::net
