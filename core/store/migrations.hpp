#pragma once
// The schema history. PRAGMA user_version holds the number of migrations applied; migration
// i (0-based) takes the schema from version i to i + 1. Adding schema v2 means appending one
// function to the list in migrations.cpp — never edit a migration that has shipped.

#include <span>

namespace hotline::store {

class Database;

using Migration = void (*)(Database&);

// The built-in, ordered list.
std::span<const Migration> schema_migrations();
int latest_schema_version();

// Applies the pending steps, each in its own IMMEDIATE transaction together with the
// user_version bump, so a failed step leaves the previous version intact and two processes
// opening the same file at once cannot both apply a step. Throws if the file's version is
// newer than `steps` knows.
void migrate(Database& db, std::span<const Migration> steps);
inline void migrate(Database& db) {
  migrate(db, schema_migrations());
}

}  // namespace hotline::store
