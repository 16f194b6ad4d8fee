#pragma once
// Command-line parsing for `hotline`: each command declares the options it takes, so an
// unknown or misspelt option is an error rather than silently ignored.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace hotline::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::set<std::string> with_value;  // e.g. "--play"
  std::set<std::string> flags;       // e.g. "--csv"
};

class Arguments {
 public:
  // Throws UsageError for unknown options, missing values and repeated options.
  Arguments(const std::vector<std::string>& args, const OptionSpec& spec);

  std::optional<std::string> value(const std::string& option) const;
  bool flag(const std::string& option) const { return flags_.contains(option); }
  const std::vector<std::string>& positional() const { return positional_; }
  // Exactly `count` positional arguments, named in the error message.
  void expect_positional(std::size_t count, const std::string& what) const;
  // An integer option within [min, max], or `fallback` when absent.
  int integer(const std::string& option, int fallback, int min, int max) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace hotline::cli
