#include "core/store/database_watcher.hpp"

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/store/database.hpp"
#include "core/store/settings_store.hpp"
#include "core/util/error.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace std::chrono_literals;

namespace {

// What the watcher's thread saw: the settings value each call read, and how many calls.
struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  int calls = 0;
  std::string value;

  bool wait_for_value(const std::string& wanted) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return value == wanted; });
  }
};

}  // namespace

TEST_CASE("a commit by another connection reaches the watcher, once at start and once per change") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  Database writer = Database::open(path);
  SettingsStore(writer).set("own_name", "Alpha");
  Seen seen;
  DatabaseWatcher watcher(path, [&](Database& db) {
    const std::string value = SettingsStore(db).get("own_name").value_or("");
    std::lock_guard lock(seen.mutex);
    ++seen.calls;
    seen.value = value;
    seen.changed.notify_all();
  });
  REQUIRE(seen.wait_for_value("Alpha"));
  SettingsStore(writer).set("own_name", "Bravo");
  REQUIRE(seen.wait_for_value("Bravo"));
  std::lock_guard lock(seen.mutex);
  CHECK(seen.calls == 2);
}

TEST_CASE("a check that fails is tried again without another write, so the change is not lost") {
  // The defect: the watcher took a change as seen before handling it, so a check that threw
  // (the database busy past its timeout) lost the change until some later write.
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  Database writer = Database::open(path);
  SettingsStore(writer).set("own_name", "Alpha");
  Seen seen;
  int failures_left = 1;
  DatabaseWatcher watcher(path, [&](Database& db) {
    const std::string value = SettingsStore(db).get("own_name").value_or("");
    std::lock_guard lock(seen.mutex);
    ++seen.calls;
    if (value == "Bravo" && failures_left > 0) {
      --failures_left;
      throw Error("database is locked");
    }
    seen.value = value;
    seen.changed.notify_all();
  });
  REQUIRE(seen.wait_for_value("Alpha"));
  SettingsStore(writer).set("own_name", "Bravo");  // the only write: the first check fails
  REQUIRE(seen.wait_for_value("Bravo"));
  std::lock_guard lock(seen.mutex);
  CHECK(seen.calls == 3);
  CHECK(failures_left == 0);
}
