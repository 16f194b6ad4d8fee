#include "core/console/console_runtime.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "core/admin/audit_trail.hpp"
#include "core/store/call_history.hpp"
#include "core/util/time_format.hpp"

namespace hotline::console {

EngineDirectory engine_directory(store::Database& db, const store::RecordsKeys& keys) {
  EngineDirectory directory;
  store::ReadSnapshot snapshot(db);  // the seals and the rows as one state
  directory.tampered = store::check_directory(db, keys.directory_mac);
  std::set<crypto::PublicKey> refused;
  for (const auto& finding : directory.tampered) refused.insert(finding.public_key);
  store::PeerStore peers(db);
  peers.use_keys(&keys);
  std::vector<call::PeerEntry>& out = directory.peers;
  for (auto& record : peers.list()) {
    call::PeerEntry entry;
    entry.name = record.name;
    entry.public_key = record.public_key;
    if (refused.contains(record.public_key)) {
      entry.enabled = false;  // its calls are refused; nothing it carries is used
      out.push_back(std::move(entry));
      continue;
    }
    for (const auto& e : record.endpoints) {
      if (auto endpoint = net::parse_endpoint(e)) entry.endpoints.push_back(*endpoint);
    }
    if (record.psk) entry.psk = std::make_shared<const crypto::SecretKey>(std::move(*record.psk));
    entry.enabled = record.enabled;
    entry.verified = record.verified_at.has_value();
    out.push_back(std::move(entry));
  }
  for (auto& removed : peers.removed()) {
    call::PeerEntry entry;
    entry.name = removed.name;
    entry.public_key = removed.public_key;
    entry.enabled = false;
    entry.removed = true;
    out.push_back(std::move(entry));
  }
  return directory;
}

namespace {

bool same_peer(const call::PeerEntry& a, const call::PeerEntry& b) {
  const bool same_psk =
      (!a.psk && !b.psk) ||
      (a.psk && b.psk && sodium_memcmp(a.psk->data(), b.psk->data(), a.psk->size()) == 0);
  return a.name == b.name && a.public_key == b.public_key && a.endpoints == b.endpoints &&
         a.enabled == b.enabled && a.verified == b.verified && a.removed == b.removed && same_psk;
}

bool same_directory(const std::vector<call::PeerEntry>& a, const std::vector<call::PeerEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_peer);
}

bool same_findings(const std::vector<store::DirectoryFinding>& a,
                   const std::vector<store::DirectoryFinding>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.public_key == y.public_key && x.field == y.field && x.problem == y.problem;
  });
}

std::string settings_text(store::Database& db) {
  store::Statement stmt = db.prepare(
      "SELECT coalesce(group_concat(key || '=' || value, char(10)), '') FROM "
      "(SELECT key, value FROM settings ORDER BY key)");
  stmt.step();
  return stmt.column_text(0);
}

}  // namespace

ConsoleRuntime::ConsoleRuntime(identity::Profile& profile, call::EngineListener& listener,
                               ConsoleOptions options)
    : profile_(profile), extra_peers_(std::move(options.extra_peers)), lock_(profile.directory()) {
  const auto db_path = profile.directory() / identity::kDatabaseFileName;
  const store::RecordsKeys& keys = *profile.records_keys();
  store::seal_clear_history(profile.database(), keys, unix_ms_now());
  interrupted_closed_ = store::CallHistory::close_interrupted(profile.database());
  history_key_problems_ = store::HistoryKeyStore(profile.database()).readers(keys).problems;
  history_epoch_ = std::make_shared<const store::HistoryEpoch>(
      store::HistoryKeyStore(profile.database()).create_epoch(keys, unix_ms_now()));
  admin::AuditTrail(profile).sign_pending();

  auto identity = std::make_shared<const crypto::Identity>(
      crypto::Identity::from_seed(profile.identity().seed()));
  std::set<std::string> unrecorded;
  for (const auto& extra : extra_peers_) unrecorded.insert(extra.name);
  recorder_ =
      std::make_unique<CallRecorder>(db_path, history_epoch_, listener, std::move(unrecorded),
                                     std::move(options.on_records_health),
                                     RecorderAudit{profile.public_key(), identity, history_epoch_});

  call::EngineConfig config;
  config.identity = std::move(identity);
  config.listen = profile.listen();
  on_directory_checked_ = std::move(options.on_directory_checked);
  EngineDirectory directory = engine_directory(profile.database(), *profile.records_keys());
  watched_peers_ = directory.peers;
  note_findings(std::move(directory.tampered));
  config.peers = std::move(directory.peers);
  config.peers.insert(config.peers.end(), extra_peers_.begin(), extra_peers_.end());
  config.presence_interval = options.presence_interval;
  config.initiation_timestamps = profile.peers().handshake_timestamps();
  config.make_device = std::move(options.make_device);
  config.voice = options.voice;
  config.timers = options.timers;
  engine_ = std::make_unique<call::Engine>(std::move(config), *recorder_);
  engine_->start();
  // Only now: a console that could not start (its address taken) has nothing to warn about.
  on_history_keys_checked_ = std::move(options.on_history_keys_checked);
  if (on_history_keys_checked_) on_history_keys_checked_(history_key_problems_);

  on_store_changed_ = std::move(options.on_store_changed);
  watched_settings_ = settings_text(profile.database());
  watcher_ = std::make_unique<store::DatabaseWatcher>(
      db_path, [this](store::Database& db) { on_database_changed(db); });
}

void ConsoleRuntime::note_findings(std::vector<store::DirectoryFinding> tampered) {
  const bool first = !findings_checked_;
  findings_checked_ = true;
  if (!first && same_findings(tampered, findings_)) return;
  findings_ = std::move(tampered);
  if (on_directory_checked_) on_directory_checked_(findings_);
}

void ConsoleRuntime::note_history_keys(std::vector<std::string> problems) {
  if (problems == history_key_problems_) return;
  history_key_problems_ = std::move(problems);
  if (on_history_keys_checked_) on_history_keys_checked_(history_key_problems_);
}

std::vector<std::string> ConsoleRuntime::history_key_problems() const {
  std::lock_guard lock(watched_mutex_);
  return history_key_problems_;
}

std::vector<store::DirectoryFinding> ConsoleRuntime::directory_findings() const {
  std::lock_guard lock(watched_mutex_);
  return findings_;
}

void ConsoleRuntime::on_database_changed(store::Database& db) {
  std::unique_lock directory_lock(directory_mutex_);
  EngineDirectory checked = engine_directory(db, *profile_.records_keys());
  std::vector<call::PeerEntry> peers = std::move(checked.peers);
  std::string settings = settings_text(db);
  // A passphrase set again mends a role's key; an edit of the file breaks it.
  std::vector<std::string> key_problems =
      store::HistoryKeyStore(db).readers(*profile_.records_keys()).problems;
  {
    std::lock_guard lock(watched_mutex_);
    note_findings(std::move(checked.tampered));
    note_history_keys(std::move(key_problems));
    const bool directory = !same_directory(peers, watched_peers_);
    if (!directory && settings == watched_settings_) return;  // the call history, say
    watched_settings_ = std::move(settings);
    if (directory) {
      watched_peers_ = peers;
      std::vector<call::PeerEntry> all = peers;
      all.insert(all.end(), extra_peers_.begin(), extra_peers_.end());
      engine_->update_peers(std::move(all));
    }
  }
  directory_lock.unlock();
  if (on_store_changed_) on_store_changed_(peers);
}

ConsoleRuntime::~ConsoleRuntime() {
  watcher_.reset();
  engine_->stop();
  recorder_->flush();
}

void ConsoleRuntime::reload_peers() {
  std::lock_guard directory_lock(directory_mutex_);
  EngineDirectory directory = engine_directory(profile_.database(), *profile_.records_keys());
  auto peers = std::move(directory.peers);
  {
    std::lock_guard lock(watched_mutex_);
    watched_peers_ = peers;  // the watcher need not tell of this change again
    note_findings(std::move(directory.tampered));
  }
  peers.insert(peers.end(), extra_peers_.begin(), extra_peers_.end());
  engine_->update_peers(std::move(peers));
}

}  // namespace hotline::console
