#include "core/admin/administration.hpp"

#include <sodium.h>

#include <cctype>
#include <ctime>

#include "core/admin/audit_details.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/store/database.hpp"

namespace hotline::admin {
namespace {

using store::Role;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::vector<std::string> endpoint_texts(const std::vector<net::Endpoint>& endpoints) {
  std::vector<std::string> out;
  for (const auto& e : endpoints) out.push_back(e.to_string());
  return out;
}

std::int64_t now_s() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// The engine sends to these from this host: refuse at import what it could not use here, with
// the reason, rather than fail on the engine thread at the first call.
void require_usable_here(const std::vector<net::Endpoint>& endpoints) {
  for (const auto& e : endpoints) {
    try {
      (void)net::to_udp(e);
    } catch (const Error& why) {
      throw Error(ErrorCode::kPeerEndpointUnusable,
                  "endpoint " + e.to_string() + " cannot be used on this computer (" + why.what() +
                      "); give an address that works here with --endpoint HOST:PORT",
                  {e.to_string()});
    }
  }
}

}  // namespace

store::PeerRecord Administration::existing(std::string_view peer) {
  auto record = profile_.peers().find_by_name(peer);
  if (!record) {
    throw Error(ErrorCode::kPeerNotFound, "no peer named '" + std::string(peer) + "'",
                {std::string(peer)});
  }
  return std::move(*record);
}

ImportPreview Administration::preview_import(std::string_view card_text,
                                             std::optional<net::Endpoint> endpoint_override) {
  ImportPreview p;
  p.card = identity::parse_card(card_text);
  if (p.card.public_key == profile_.public_key()) {
    throw Error(ErrorCode::kPeerOwnCard,
                "this is this console's own card; import the other console's card instead");
  }
  p.fingerprint = crypto::fingerprint(p.card.public_key);
  p.endpoints =
      endpoint_override ? std::vector<net::Endpoint>{*endpoint_override} : p.card.endpoints;
  require_usable_here(p.endpoints);
  if (auto by_key = profile_.peers().find_by_key(p.card.public_key)) {
    p.kind = ImportPreview::Kind::kAlreadyKnown;
    p.existing_name = by_key->name;
  } else if (auto by_name = profile_.peers().find_by_name(p.card.name)) {
    p.kind = ImportPreview::Kind::kKeyChange;
    p.existing_name = by_name->name;
    p.old_fingerprint = crypto::fingerprint(by_name->public_key);
  }
  return p;
}

std::string Administration::import_card(const RoleGrant& admin, std::string_view card_text,
                                        std::optional<net::Endpoint> endpoint_override,
                                        bool replace_key) {
  require(admin, Role::kAdministrator, "import peer keys");
  store::Transaction transaction(profile_.database());
  const ImportPreview p = preview_import(card_text, endpoint_override);
  const std::string& name = p.card.name;
  const std::vector<std::string> endpoints = endpoint_texts(p.endpoints);
  switch (p.kind) {
    case ImportPreview::Kind::kAlreadyKnown:
      throw Error(ErrorCode::kPeerKeyTaken,
                  "this key is already imported as peer '" + p.existing_name + "'",
                  {p.existing_name});
    case ImportPreview::Kind::kKeyChange:
      if (!replace_key) {
        throw KeyChangeRefused("peer '" + name +
                               "' already exists with a different key (fingerprint " +
                               p.old_fingerprint + "); this card would replace it");
      }
      profile_.peers().replace_key(name, p.card.public_key, identity::serialize_card(p.card),
                                   endpoints, now_s());
      audit_.record(Role::kAdministrator, admin.actor(), "peer.key.replace",
                    audit_details(AuditDetail::kKeyReplaced,
                                  {name, p.old_fingerprint, p.fingerprint, join(endpoints)}));
      break;
    case ImportPreview::Kind::kNew: {
      store::PeerRecord record;
      record.name = name;
      record.public_key = p.card.public_key;
      record.endpoints = endpoints;
      record.card_text = identity::serialize_card(p.card);
      record.imported_at = now_s();
      profile_.peers().add(record);
      audit_.record(Role::kAdministrator, admin.actor(), "peer.import",
                    audit_details(AuditDetail::kImported, {name, p.fingerprint, join(endpoints)}));
      break;
    }
  }
  transaction.commit();
  return name;
}

void Administration::verify(const RoleGrant& admin, std::string_view peer,
                            std::optional<std::string> by) {
  require(admin, Role::kAdministrator, "verify peers");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  const std::string who = by && !by->empty() ? *by : admin.actor();
  profile_.peers().set_verified(peer, who, now_s());
  audit_.record(Role::kAdministrator, admin.actor(), "peer.verify",
                audit_details(AuditDetail::kVerified,
                              {record.name, crypto::fingerprint(record.public_key), who}));
  transaction.commit();
}

void Administration::set_endpoints(const RoleGrant& admin, std::string_view peer,
                                   const std::vector<net::Endpoint>& endpoints) {
  require(admin, Role::kAdministrator, "change peer endpoints");
  if (endpoints.empty() || endpoints.size() > identity::kMaxCardEndpoints) {
    throw Error("a peer needs 1 to " + std::to_string(identity::kMaxCardEndpoints) + " endpoints");
  }
  require_usable_here(endpoints);
  const std::vector<std::string> texts = endpoint_texts(endpoints);
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  profile_.peers().set_endpoints(peer, texts);
  audit_.record(Role::kAdministrator, admin.actor(), "peer.endpoints",
                audit_details(AuditDetail::kEndpointsChanged,
                              {record.name, join(record.endpoints), join(texts)}));
  transaction.commit();
}

crypto::SecretKey Administration::generate_psk(const RoleGrant& admin, std::string_view peer) {
  crypto::SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  set_psk(admin, peer, psk);
  return psk;
}

void Administration::set_psk(const RoleGrant& admin, std::string_view peer,
                             const crypto::SecretKey& psk) {
  require(admin, Role::kAdministrator, "set pre-shared keys");
  if (psk.is_zero()) throw Error(ErrorCode::kPskAllZero, "an all-zero pre-shared key is no key");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  profile_.peers().set_psk(peer, &psk);
  audit_.record(Role::kAdministrator, admin.actor(), "peer.psk.set",
                audit_details(record.has_psk ? AuditDetail::kPskRotated : AuditDetail::kPskSet,
                              {record.name}));
  transaction.commit();
}

void Administration::clear_psk(const RoleGrant& admin, std::string_view peer) {
  require(admin, Role::kAdministrator, "remove pre-shared keys");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  profile_.peers().set_psk(peer, nullptr);
  audit_.record(Role::kAdministrator, admin.actor(), "peer.psk.clear",
                audit_details(AuditDetail::kPskRemoved, {record.name}));
  transaction.commit();
}

void Administration::set_enabled(const RoleGrant& admin, std::string_view peer, bool enabled) {
  require(admin, Role::kAdministrator, enabled ? "enable peers" : "disable peers");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  profile_.peers().set_enabled(peer, enabled);
  audit_.record(
      Role::kAdministrator, admin.actor(), enabled ? "peer.enable" : "peer.disable",
      audit_details(enabled ? AuditDetail::kEnabled : AuditDetail::kDisabled, {record.name}));
  transaction.commit();
}

void Administration::remove(const RoleGrant& admin, std::string_view peer) {
  require(admin, Role::kAdministrator, "remove peers");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  profile_.peers().remove(peer, now_s());
  audit_.record(
      Role::kAdministrator, admin.actor(), "peer.remove",
      audit_details(AuditDetail::kRemoved, {record.name, crypto::fingerprint(record.public_key)}));
  transaction.commit();
}

bool Administration::reset_replay(const RoleGrant& admin, std::string_view peer) {
  require(admin, Role::kAdministrator, "reset replay protection");
  store::Transaction transaction(profile_.database());
  const store::PeerRecord record = existing(peer);
  if (!profile_.peers().forget_handshake_timestamp(record.public_key)) return false;
  audit_.record(Role::kAdministrator, admin.actor(), "peer.replay.reset",
                audit_details(AuditDetail::kReplayReset, {record.name}));
  transaction.commit();
  return true;
}

void Administration::set_setting(const RoleGrant& admin, std::string_view key,
                                 std::string_view value) {
  require(admin, Role::kAdministrator, "change settings");
  store::Transaction transaction(profile_.database());
  profile_.settings().set(key, value);
  audit_.record(Role::kAdministrator, admin.actor(), "settings.set",
                audit_details(AuditDetail::kSettingSet, {std::string(key), std::string(value)}));
  transaction.commit();
}

bool Administration::unset_setting(const RoleGrant& admin, std::string_view key) {
  require(admin, Role::kAdministrator, "change settings");
  store::Transaction transaction(profile_.database());
  const bool removed = profile_.settings().remove(key);
  if (removed) {
    audit_.record(Role::kAdministrator, admin.actor(), "settings.unset",
                  audit_details(AuditDetail::kSettingUnset, {std::string(key)}));
  }
  transaction.commit();
  return removed;
}

std::string format_psk(const crypto::SecretKey& psk) {
  return to_base64(psk.span());
}

crypto::SecretKey parse_psk(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  std::optional<Bytes> bytes = from_base64(text);
  if (!bytes || bytes->size() != crypto::SecretKey::size()) {
    if (bytes) sodium_memzero(bytes->data(), bytes->size());
    throw Error(ErrorCode::kPskFormat,
                "a pre-shared key is 32 bytes written as one line of base64");
  }
  crypto::SecretKey psk(std::span<const std::uint8_t, 32>(bytes->data(), 32));
  sodium_memzero(bytes->data(), bytes->size());
  if (psk.is_zero()) throw Error(ErrorCode::kPskAllZero, "an all-zero pre-shared key is no key");
  return psk;
}

}  // namespace hotline::admin
