#pragma once
// Small key/value settings of this console (own name, listen endpoint, ...).

#include <optional>
#include <string>
#include <string_view>

namespace hotline::store {

class Database;

class SettingsStore {
 public:
  explicit SettingsStore(Database& db) : db_(&db) {}

  std::optional<std::string> get(std::string_view key);
  std::string get_or(std::string_view key, std::string_view fallback);
  void set(std::string_view key, std::string_view value);  // inserts or replaces
  bool remove(std::string_view key);                       // false if absent

 private:
  Database* db_;
};

}  // namespace hotline::store
