#pragma once
// A running console: the engine built from a profile, with the call history recorded and the
// profile locked to this process. The command line and the GUI both run one. Starting it
// closes the calls a previous run left open (it crashed or was killed) as "interrupted" and
// signs the audit entries that waited for the key.
//
// Threads: construct, reload_peers() and destroy on one thread (the owner's). The engine's
// listener calls come on the engine thread. The engine never touches the database: the replay
// state is read once here, and every record (call history, replay state) is written by the
// recorder's own thread and connection, so the profile's own connection stays the owner's.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/call/engine.hpp"
#include "core/console/call_recorder.hpp"
#include "core/console/console_lock.hpp"
#include "core/identity/profile.hpp"
#include "core/store/database.hpp"
#include "core/store/database_watcher.hpp"
#include "core/store/directory_seal.hpp"
#include "core/store/history_keys.hpp"

namespace hotline::console {

struct ConsoleOptions {
  audio::VoiceOptions voice;
  std::function<std::shared_ptr<audio::AudioDevice>(const call::CallStats& call)> make_device;
  call::EngineTimers timers;
  std::chrono::milliseconds presence_interval{0};  // line-status probes; 0: none
  // Lines that are not in the directory (the Echo Test): known to the engine, never recorded.
  std::vector<call::PeerEntry> extra_peers;
  // Told when the store starts or stops refusing records (on the recorder's thread): the
  // console shows it, since calls go on regardless.
  RecordsHealthHandler on_records_health;
  // Told when another process changed the directory or the settings (an administrator's
  // command line, say), after the engine has the new directory (given here); on the
  // watcher's thread.
  std::function<void(const std::vector<call::PeerEntry>& directory)> on_store_changed;
  // Told, at start and whenever it changes, what in the directory was changed outside the
  // console (store/directory_seal.hpp); those peers are refused. On the constructing thread
  // at start, then on the watcher's thread, under the runtime's locks: it must not call the
  // runtime back (hand the news to another thread, as the GUI does).
  std::function<void(const std::vector<store::DirectoryFinding>& tampered)> on_directory_checked;
  // Told, at start and whenever it changes, which role's call-history key was changed in the
  // file (store::HistoryReaders::problems; nothing is sealed to such a key). Same threads and
  // the same rule, the first time once the engine has started.
  std::function<void(const std::vector<std::string>& problems)> on_history_keys_checked;
};

// The engine's view of the directory: every peer, and every removed key (refused on sight).
// A peer whose seal does not hold is given as disabled, with no endpoints and no pre-shared
// key, and named in `tampered`.
struct EngineDirectory {
  std::vector<call::PeerEntry> peers;
  std::vector<store::DirectoryFinding> tampered;
};
EngineDirectory engine_directory(store::Database& db, const store::RecordsKeys& keys);

class ConsoleRuntime {
 public:
  // The profile must be unlocked. Throws hotline::Error when another console runs on the
  // profile or the listening address cannot be bound.
  ConsoleRuntime(identity::Profile& profile, call::EngineListener& listener,
                 ConsoleOptions options);
  ~ConsoleRuntime();  // stops the engine (hanging up), then writes the history still queued
  ConsoleRuntime(const ConsoleRuntime&) = delete;
  ConsoleRuntime& operator=(const ConsoleRuntime&) = delete;

  call::Engine& engine() { return *engine_; }
  CallRecorder& recorder() { return *recorder_; }
  int interrupted_calls_closed() const { return interrupted_closed_; }
  // A role's history key that was changed in the file: nothing is sealed to it.
  std::vector<std::string> history_key_problems() const;
  // This start's history epoch: the rows it writes, and the only ones it can read back.
  std::vector<store::CallRecord> own_calls(std::int64_t limit) {
    return store::CallHistory(profile_.database(), history_epoch_).own_calls(limit);
  }
  // Reads and checks the directory again (through the profile's connection) and gives it
  // to the engine; done before every call this console places. A change another process
  // makes reaches the engine by itself (store::DatabaseWatcher).
  void reload_peers();
  std::vector<store::DirectoryFinding> directory_findings() const;

 private:
  void on_database_changed(store::Database& db);
  // Under watched_mutex_: tells the listener when the findings changed.
  void note_findings(std::vector<store::DirectoryFinding> tampered);
  // Under watched_mutex_: tells the listener when the problems changed.
  void note_history_keys(std::vector<std::string> problems);

  identity::Profile& profile_;
  std::vector<call::PeerEntry> extra_peers_;
  ConsoleLock lock_;
  int interrupted_closed_ = 0;
  std::shared_ptr<const store::HistoryEpoch> history_epoch_;
  std::unique_ptr<CallRecorder> recorder_;
  std::unique_ptr<call::Engine> engine_;
  // Held from reading the directory to handing it to the engine, by reload_peers() and the
  // watcher alike: otherwise a read made before a commit could reach the engine after one
  // made after it, and stay there (the watcher is not woken again for that commit).
  std::mutex directory_mutex_;
  // The watcher thread's: what it last gave the engine and the listener.
  mutable std::mutex watched_mutex_;  // reload_peers() sets watched_peers_ too
  std::vector<call::PeerEntry> watched_peers_;
  std::vector<store::DirectoryFinding> findings_;
  bool findings_checked_ = false;
  std::function<void(const std::vector<store::DirectoryFinding>&)> on_directory_checked_;
  std::vector<std::string> history_key_problems_;
  std::function<void(const std::vector<std::string>&)> on_history_keys_checked_;
  std::string watched_settings_;
  std::function<void(const std::vector<call::PeerEntry>&)> on_store_changed_;
  std::unique_ptr<store::DatabaseWatcher> watcher_;  // last: stopped first
};

}  // namespace hotline::console
