#include "core/console/console_runtime.hpp"

#include <set>

#include "core/admin/audit_trail.hpp"
#include "core/store/call_history.hpp"

namespace hotline::console {

std::vector<call::PeerEntry> engine_peers(store::PeerStore& peers) {
  std::vector<call::PeerEntry> out;
  for (auto& record : peers.list()) {
    call::PeerEntry entry;
    entry.name = record.name;
    entry.public_key = record.public_key;
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
  return out;
}

ConsoleRuntime::ConsoleRuntime(identity::Profile& profile, call::EngineListener& listener,
                               ConsoleOptions options)
    : profile_(profile), extra_peers_(std::move(options.extra_peers)), lock_(profile.directory()) {
  const auto db_path = profile.directory() / identity::kDatabaseFileName;
  interrupted_closed_ = store::CallHistory(profile.database()).close_interrupted();
  admin::AuditTrail(profile).sign_pending();

  auto identity = std::make_shared<const crypto::Identity>(
      crypto::Identity::from_seed(profile.identity().seed()));
  std::set<std::string> unrecorded;
  for (const auto& extra : extra_peers_) unrecorded.insert(extra.name);
  recorder_ = std::make_unique<CallRecorder>(db_path, listener, std::move(unrecorded),
                                             std::move(options.on_records_health),
                                             RecorderAudit{profile.public_key(), identity});

  call::EngineConfig config;
  config.identity = std::move(identity);
  config.listen = profile.listen();
  config.peers = engine_peers(profile.peers());
  config.peers.insert(config.peers.end(), extra_peers_.begin(), extra_peers_.end());
  config.presence_interval = options.presence_interval;
  config.initiation_timestamps = profile.peers().handshake_timestamps();
  config.make_device = std::move(options.make_device);
  config.voice = options.voice;
  config.timers = options.timers;
  engine_ = std::make_unique<call::Engine>(std::move(config), *recorder_);
  engine_->start();
}

ConsoleRuntime::~ConsoleRuntime() {
  engine_->stop();
  recorder_->flush();
}

void ConsoleRuntime::reload_peers() {
  auto peers = engine_peers(profile_.peers());
  peers.insert(peers.end(), extra_peers_.begin(), extra_peers_.end());
  engine_->update_peers(std::move(peers));
}

}  // namespace hotline::console
