#include "core/store/settings_store.hpp"

#include "core/store/database.hpp"

namespace hotline::store {

std::optional<std::string> SettingsStore::get(std::string_view key) {
  Statement stmt = db_->prepare("SELECT value FROM settings WHERE key = ?1");
  if (!stmt.bind(1, key).step()) return std::nullopt;
  return stmt.column_text(0);
}

std::string SettingsStore::get_or(std::string_view key, std::string_view fallback) {
  std::optional<std::string> value = get(key);
  return value ? std::move(*value) : std::string(fallback);
}

void SettingsStore::set(std::string_view key, std::string_view value) {
  Statement stmt = db_->prepare(
      "INSERT INTO settings (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.bind(1, key).bind(2, value).run();
}

bool SettingsStore::remove(std::string_view key) {
  Statement stmt = db_->prepare("DELETE FROM settings WHERE key = ?1 RETURNING 1");
  const bool removed = stmt.bind(1, key).step();
  while (stmt.step()) {
  }
  return removed;
}

}  // namespace hotline::store
