#pragma once
// A copy of the database as it was, taken before a file of an earlier schema version is
// upgraded (docs/records.md, "The store"): "<file>.v<version>-backup", mode 0600, written
// under a temporary name and renamed, so it is whole or absent. One per version: a second
// process opening the same old file finds it and goes on.
//
// Files of versions before kFirstProtectedVersion hold the pre-shared keys (before 4), the
// call history (before 6) or the audit entries' text (before 7) in the clear, so the console
// removes their backups once it has protected the records (identity/profile.cpp); until then
// the clear copies are in the database itself too.

#include <filesystem>

namespace hotline::store {

class Database;

constexpr int kFirstProtectedVersion = 7;

std::filesystem::path upgrade_backup_path(const std::filesystem::path& database, int version);

// Does nothing for a new file (version 0) or a current one. Throws hotline::Error naming the
// reason when the copy cannot be made; the upgrade must then not go ahead.
void back_up_before_upgrade(Database& db);

// Removes the backups of versions before kFirstProtectedVersion; returns how many.
int remove_unprotected_backups(const std::filesystem::path& database);

}  // namespace hotline::store
