#include "core/identity/pasted_card.hpp"

#include "core/identity/peer_card.hpp"

namespace hotline::identity {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view unquoted(std::string_view line) {
  while (!line.empty() && (is_blank(line.front()) || line.front() == '>')) line.remove_prefix(1);
  while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
  return line;
}

}  // namespace

std::string card_from_pasted_text(const std::string_view pasted) {
  std::string card;
  std::string_view rest = pasted;
  bool inside = false;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = unquoted(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (!inside && line == kCardHeader) inside = true;
    if (!inside) continue;
    card.append(line).push_back('\n');
    if (line.starts_with("signature:")) return card;
  }
  return inside ? card : std::string(pasted);
}

}  // namespace hotline::identity
