#include "app/cli/arguments.hpp"

#include <charconv>

namespace hotline::cli {

Arguments::Arguments(const std::vector<std::string>& args, const OptionSpec& spec) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (spec.flags.contains(name)) {
      if (inline_value) throw UsageError(name + " takes no value");
      flags_.insert(name);
    } else if (spec.with_value.contains(name)) {
      if (values_.contains(name)) throw UsageError(name + " given twice");
      if (inline_value) {
        values_[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        values_[name] = args[++i];
      } else {
        throw UsageError(name + " needs a value");
      }
    } else {
      throw UsageError("unknown option " + name);
    }
  }
}

std::optional<std::string> Arguments::value(const std::string& option) const {
  const auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void Arguments::expect_positional(std::size_t count, const std::string& what) const {
  if (positional_.size() < count) throw UsageError("missing " + what);
  if (positional_.size() > count)
    throw UsageError("unexpected argument '" + positional_[count] + "'");
}

int Arguments::integer(const std::string& option, int fallback, int min, int max) const {
  const auto text = value(option);
  if (!text) return fallback;
  int result = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), result);
  if (ec != std::errc() || end != text->data() + text->size()) {
    throw UsageError(option + " needs a whole number, not '" + *text + "'");
  }
  if (result < min || result > max) {
    throw UsageError(option + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max));
  }
  return result;
}

}  // namespace hotline::cli
