#include "core/store/peer_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "core/store/database.hpp"
#include "core/store/directory_seal.hpp"
#include "core/store/records_key.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::string_view kPeerColumns =
    "id, name, public_key, endpoints, card_text, psk, enabled, verified_by, verified_at, "
    "imported_at, psk_sealed";

constexpr std::string_view kPskLabel = "hotline-psk/1";
constexpr std::size_t kPskNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kSealedPskLen = kPskNonceLen + 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES;

std::array<std::uint8_t, kPskLabel.size() + 32> psk_ad(const crypto::PublicKey& peer) {
  std::array<std::uint8_t, kPskLabel.size() + 32> ad{};
  std::copy(kPskLabel.begin(), kPskLabel.end(), ad.begin());
  std::copy(peer.begin(), peer.end(), ad.begin() + kPskLabel.size());
  return ad;
}

std::optional<crypto::SecretKey> open_psk(const RecordsKeys& keys, const crypto::PublicKey& peer,
                                          ByteSpan sealed) {
  if (sealed.size() != kSealedPskLen) return std::nullopt;
  const auto ad = psk_ad(peer);
  crypto::SecretKey psk;
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          psk.data(), &len, nullptr, sealed.data() + kPskNonceLen, sealed.size() - kPskNonceLen,
          ad.data(), ad.size(), sealed.data(), keys.psk_aead.data()) != 0) {
    return std::nullopt;
  }
  return psk;
}

// Endpoints are stored as one "host:port" per line; a line break inside one would split it.
std::string encode_endpoints(const std::vector<std::string>& endpoints) {
  if (endpoints.empty()) throw Error("a peer needs at least one endpoint");
  std::string joined;
  for (const std::string& endpoint : endpoints) {
    if (endpoint.empty() ||
        endpoint.find_first_of(std::string_view("\n\r\0", 3)) != std::string::npos) {
      throw Error("invalid peer endpoint (empty or containing a line break)");
    }
    if (!joined.empty()) joined += '\n';
    joined += endpoint;
  }
  return joined;
}

std::vector<std::string> decode_endpoints(std::string_view joined) {
  std::vector<std::string> endpoints;
  while (!joined.empty()) {
    const std::size_t end = joined.find('\n');
    endpoints.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return endpoints;
}

PeerRecord read_row(const Statement& row, const RecordsKeys* keys) {
  PeerRecord peer;
  peer.id = row.column_int64(0);
  peer.name = row.column_text(1);
  peer.public_key = row.column_array<32>(2, "peer public key");
  peer.endpoints = decode_endpoints(row.column_text(3));
  peer.card_text = row.column_text(4);
  if (!row.is_null(5)) {
    const ByteSpan psk = row.column_blob(5);
    if (psk.size() != crypto::SecretKey::size()) {
      throw Error("the stored pre-shared key of peer '" + peer.name + "' is damaged");
    }
    peer.psk.emplace(psk.first<crypto::SecretKey::size()>());
    peer.has_psk = true;
  } else if (!row.is_null(10)) {
    peer.has_psk = true;
    // One that does not open is left out; the directory's check names the change.
    if (keys) peer.psk = open_psk(*keys, peer.public_key, row.column_blob(10));
  }
  peer.enabled = row.column_int64(6) != 0;
  peer.verified_by = row.column_optional_text(7);
  peer.verified_at = row.column_optional_int64(8);
  peer.imported_at = row.column_int64(9);
  return peer;
}

std::optional<PeerRecord> first_row(Statement& stmt, const RecordsKeys* keys) {
  if (!stmt.step()) return std::nullopt;
  return read_row(stmt, keys);
}

// Runs an UPDATE ... WHERE name = ?1 RETURNING public_key; throws when no peer has that
// name. Returns the key of the peer changed.
crypto::PublicKey update_named(Statement& stmt, std::string_view name) {
  const bool updated = stmt.step();
  if (!updated)
    throw Error(ErrorCode::kPeerNotFound, "no peer named '" + std::string(name) + "'",
                {std::string(name)});
  const crypto::PublicKey key = stmt.column_array<32>(0, "peer public key");
  while (stmt.step()) {
  }
  return key;
}

}  // namespace

std::int64_t PeerStore::add(const PeerRecord& peer) {
  if (peer.name.empty()) throw Error("a peer needs a name");
  const std::string endpoints = encode_endpoints(peer.endpoints);

  Transaction transaction(*db_);
  Statement by_name = db_->prepare("SELECT 1 FROM peers WHERE name = ?1");
  if (by_name.bind(1, peer.name).step()) {
    throw Error(ErrorCode::kPeerNameTaken, "a peer named '" + peer.name + "' already exists",
                {peer.name});
  }
  Statement by_key = db_->prepare("SELECT name FROM peers WHERE public_key = ?1");
  if (by_key.bind(1, ByteSpan(peer.public_key)).step()) {
    const std::string taken = by_key.column_text(0);
    throw Error(ErrorCode::kPeerKeyTaken, "this key is already imported as peer '" + taken + "'",
                {taken});
  }

  Statement insert = db_->prepare(
      "INSERT INTO peers (name, public_key, endpoints, card_text, psk_sealed, enabled, "
      "verified_by, verified_at, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind(1, peer.name)
      .bind(2, ByteSpan(peer.public_key))
      .bind(3, endpoints)
      .bind(4, peer.card_text)
      .bind(6, std::int64_t{peer.enabled ? 1 : 0})
      .bind(7, peer.verified_by)
      .bind(8, peer.verified_at)
      .bind(9, peer.imported_at);
  if (peer.psk) {
    insert.bind(5, ByteSpan(seal_psk(peer.public_key, *peer.psk)));
  } else {
    insert.bind_null(5);
  }
  insert.run();
  const std::int64_t id = db_->last_insert_rowid();
  db_->prepare("DELETE FROM removed_peers WHERE public_key = ?1")
      .bind(1, ByteSpan(peer.public_key))
      .run();
  seal(peer.public_key);
  transaction.commit();
  return id;
}

std::vector<PeerRecord> PeerStore::list() {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers ORDER BY name");
  std::vector<PeerRecord> peers;
  while (stmt.step()) peers.push_back(read_row(stmt, keys_));
  return peers;
}

std::optional<PeerRecord> PeerStore::find_by_name(std::string_view name) {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers WHERE name = ?1");
  stmt.bind(1, name);
  return first_row(stmt, keys_);
}

std::optional<PeerRecord> PeerStore::find_by_key(const crypto::PublicKey& key) {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers WHERE public_key = ?1");
  stmt.bind(1, ByteSpan(key));
  return first_row(stmt, keys_);
}

bool PeerStore::remove(std::string_view name, std::int64_t removed_at) {
  Transaction transaction(*db_);
  Statement stmt = db_->prepare("DELETE FROM peers WHERE name = ?1 RETURNING public_key");
  if (!stmt.bind(1, name).step()) return false;
  const crypto::PublicKey key = stmt.column_array<32>(0, "peer public key");
  while (stmt.step()) {
  }
  db_->prepare(
         "INSERT INTO removed_peers (public_key, name, removed_at) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (public_key) DO UPDATE SET name = excluded.name, "
         "removed_at = excluded.removed_at")
      .bind(1, ByteSpan(key))
      .bind(2, name)
      .bind(3, removed_at)
      .run();
  // Its calls are refused as removed now; should it be imported again, it starts afresh.
  forget_handshake_timestamp(key);
  db_->prepare("DELETE FROM refused_probes WHERE public_key = ?1").bind(1, ByteSpan(key)).run();
  if (keys_) {
    unseal_peer(*db_, keys_->directory_mac, key);
  } else {
    refuse_unsealed_change();
  }
  transaction.commit();
  return true;
}

std::vector<RemovedPeer> PeerStore::removed() {
  Statement stmt =
      db_->prepare("SELECT public_key, name, removed_at FROM removed_peers ORDER BY name");
  std::vector<RemovedPeer> out;
  while (stmt.step()) {
    out.push_back(
        {stmt.column_array<32>(0, "removed peer key"), stmt.column_text(1), stmt.column_int64(2)});
  }
  return out;
}

void PeerStore::set_endpoints(std::string_view name, const std::vector<std::string>& endpoints) {
  Transaction transaction(*db_);
  refuse_tampered(name);
  Statement stmt =
      db_->prepare("UPDATE peers SET endpoints = ?2 WHERE name = ?1 RETURNING public_key");
  stmt.bind(1, name).bind(2, encode_endpoints(endpoints));
  seal(update_named(stmt, name));
  transaction.commit();
}

void PeerStore::set_psk(std::string_view name, const crypto::SecretKey* psk) {
  Transaction transaction(*db_);
  refuse_tampered(name);
  Statement key_of = db_->prepare("SELECT public_key FROM peers WHERE name = ?1");
  if (!key_of.bind(1, name).step()) {
    throw Error(ErrorCode::kPeerNotFound, "no peer named '" + std::string(name) + "'",
                {std::string(name)});
  }
  const crypto::PublicKey key = key_of.column_array<32>(0, "peer public key");
  Statement stmt = db_->prepare(
      "UPDATE peers SET psk = NULL, psk_sealed = ?2 WHERE name = ?1 RETURNING public_key");
  stmt.bind(1, name);
  if (psk) {
    stmt.bind(2, ByteSpan(seal_psk(key, *psk)));
  } else {
    stmt.bind_null(2);
  }
  seal(update_named(stmt, name));
  transaction.commit();
}

void PeerStore::set_enabled(std::string_view name, bool enabled) {
  Transaction transaction(*db_);
  refuse_tampered(name);
  Statement stmt =
      db_->prepare("UPDATE peers SET enabled = ?2 WHERE name = ?1 RETURNING public_key");
  stmt.bind(1, name).bind(2, std::int64_t{enabled ? 1 : 0});
  seal(update_named(stmt, name));
  transaction.commit();
}

void PeerStore::set_verified(std::string_view name, std::optional<std::string> by,
                             std::optional<std::int64_t> at) {
  Transaction transaction(*db_);
  refuse_tampered(name);
  Statement stmt = db_->prepare(
      "UPDATE peers SET verified_by = ?2, verified_at = ?3 WHERE name = ?1 RETURNING public_key");
  stmt.bind(1, name).bind(2, by).bind(3, at);
  seal(update_named(stmt, name));
  transaction.commit();
}

void PeerStore::replace_key(std::string_view name, const crypto::PublicKey& key,
                            std::string_view card_text, const std::vector<std::string>& endpoints,
                            std::int64_t imported_at) {
  const std::string joined = encode_endpoints(endpoints);
  Transaction transaction(*db_);
  refuse_tampered(name);
  Statement by_key = db_->prepare("SELECT name FROM peers WHERE public_key = ?1 AND name != ?2");
  if (by_key.bind(1, ByteSpan(key)).bind(2, name).step()) {
    const std::string taken = by_key.column_text(0);
    throw Error(ErrorCode::kPeerKeyTaken, "this key is already imported as peer '" + taken + "'",
                {taken});
  }
  Statement old_key = db_->prepare("SELECT public_key FROM peers WHERE name = ?1");
  if (!old_key.bind(1, name).step())
    throw Error(ErrorCode::kPeerNotFound, "no peer named '" + std::string(name) + "'",
                {std::string(name)});
  const crypto::PublicKey replaced = old_key.column_array<32>(0, "peer public key");
  Statement stmt = db_->prepare(
      "UPDATE peers SET public_key = ?2, card_text = ?3, endpoints = ?4, imported_at = ?5, "
      "verified_by = NULL, verified_at = NULL WHERE name = ?1 RETURNING public_key");
  stmt.bind(1, name).bind(2, ByteSpan(key)).bind(3, card_text).bind(4, joined).bind(5, imported_at);
  update_named(stmt, name);
  // The pre-shared key was bound to the old key: bind it to the new one.
  if (keys_) {
    Statement sealed = db_->prepare("SELECT psk_sealed FROM peers WHERE name = ?1");
    if (sealed.bind(1, name).step() && !sealed.is_null(0)) {
      const auto psk = open_psk(*keys_, replaced, sealed.column_blob(0));
      if (!psk)
        throw Error("the stored pre-shared key of peer '" + std::string(name) + "' is damaged");
      db_->prepare("UPDATE peers SET psk_sealed = ?2 WHERE name = ?1")
          .bind(1, name)
          .bind(2, ByteSpan(seal_psk(key, *psk)))
          .run();
    }
    unseal_peer(*db_, keys_->directory_mac, replaced);
  }
  seal(key);
  // The old key is treated as removed: a call made with it is refused and recorded.
  db_->prepare(
         "INSERT INTO removed_peers (public_key, name, removed_at) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (public_key) DO UPDATE SET name = excluded.name, "
         "removed_at = excluded.removed_at")
      .bind(1, ByteSpan(replaced))
      .bind(2, name)
      .bind(3, imported_at)
      .run();
  db_->prepare("DELETE FROM removed_peers WHERE public_key = ?1").bind(1, ByteSpan(key)).run();
  transaction.commit();
}

void PeerStore::seal(const crypto::PublicKey& key) {
  if (keys_) {
    seal_peer(*db_, keys_->directory_mac, key);
  } else {
    refuse_unsealed_change();
  }
}

void PeerStore::refuse_tampered(std::string_view name) {
  // Changing a row someone edited in the file would seal their edit as the console's own.
  if (!keys_) return;  // refused later, as a change without the key
  for (const auto& finding : check_directory(*db_, keys_->directory_mac)) {
    if (finding.peer == name && !finding.peer.empty()) {
      throw Error(finding.problem + ". Remove the peer and import its card again");
    }
  }
}

void PeerStore::refuse_unsealed_change() {
  // Once sealed, a change without the key would only make the peer look tampered with (and
  // refused): say so instead, and the caller's transaction leaves the directory as it was.
  if (db_->prepare("SELECT 1 FROM directory_seal WHERE id = 1").step()) {
    throw Error(
        "changing the peer directory needs the console's records key (unlock the console's "
        "key or give a role passphrase)");
  }
}

Bytes PeerStore::seal_psk(const crypto::PublicKey& peer, const crypto::SecretKey& psk) const {
  if (!keys_) {
    throw Error(
        "a pre-shared key can be stored only with the console's records key (unlock the "
        "console's key or a role)");
  }
  const auto ad = psk_ad(peer);
  Bytes sealed(kSealedPskLen);
  randombytes_buf(sealed.data(), kPskNonceLen);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + kPskNonceLen, &len, psk.data(),
                                             psk.size(), ad.data(), ad.size(), nullptr,
                                             sealed.data(), keys_->psk_aead.data());
  return sealed;
}

int PeerStore::encrypt_clear_psks() {
  if (!keys_) throw Error("encrypting pre-shared keys needs the console's records key");
  Transaction transaction(*db_);
  Statement clear = db_->prepare("SELECT public_key, psk FROM peers WHERE psk IS NOT NULL");
  std::vector<std::pair<crypto::PublicKey, Bytes>> sealed;
  while (clear.step()) {
    const crypto::PublicKey key = clear.column_array<32>(0, "peer public key");
    const ByteSpan psk = clear.column_blob(1);
    if (psk.size() != crypto::SecretKey::size()) continue;  // damaged: left for the check
    const crypto::SecretKey secret(psk.first<crypto::SecretKey::size()>());
    sealed.emplace_back(key, seal_psk(key, secret));
  }
  Statement update =
      db_->prepare("UPDATE peers SET psk_sealed = ?2, psk = NULL WHERE public_key = ?1");
  for (const auto& [key, blob] : sealed) {
    update.reset();
    update.bind(1, ByteSpan(key)).bind(2, ByteSpan(blob)).run();
  }
  transaction.commit();
  return static_cast<int>(sealed.size());
}

bool PeerStore::accept_handshake_timestamp(const crypto::PublicKey& peer,
                                           const HandshakeTimestamp& timestamp) {
  // BLOBs compare with memcmp, which for equal lengths is big-endian numeric order. The
  // RETURNING row appears only if a row was inserted or the guarded update happened.
  Statement stmt = db_->prepare(
      "INSERT INTO handshake_replay (public_key, last_timestamp) VALUES (?1, ?2) "
      "ON CONFLICT (public_key) DO UPDATE SET last_timestamp = excluded.last_timestamp "
      "WHERE excluded.last_timestamp > handshake_replay.last_timestamp "
      "RETURNING 1");
  const bool accepted = stmt.bind(1, ByteSpan(peer)).bind(2, ByteSpan(timestamp)).step();
  while (stmt.step()) {
  }
  return accepted;
}

bool PeerStore::forget_handshake_timestamp(const crypto::PublicKey& peer) {
  Statement stmt =
      db_->prepare("DELETE FROM handshake_replay WHERE public_key = ?1 RETURNING public_key");
  const bool found = stmt.bind(1, ByteSpan(peer)).step();
  while (stmt.step()) {
  }
  return found;
}

std::optional<HandshakeTimestamp> PeerStore::last_handshake_timestamp(
    const crypto::PublicKey& peer) {
  Statement stmt =
      db_->prepare("SELECT last_timestamp FROM handshake_replay WHERE public_key = ?1");
  if (!stmt.bind(1, ByteSpan(peer)).step()) return std::nullopt;
  return stmt.column_array<wire::kTimestampLen>(0, "handshake timestamp");
}

std::map<crypto::PublicKey, HandshakeTimestamp> PeerStore::handshake_timestamps() {
  std::map<crypto::PublicKey, HandshakeTimestamp> out;
  Statement stmt = db_->prepare("SELECT public_key, last_timestamp FROM handshake_replay");
  while (stmt.step()) {
    out[stmt.column_array<wire::kKeyLen>(0, "peer key")] =
        stmt.column_array<wire::kTimestampLen>(1, "handshake timestamp");
  }
  return out;
}

void PeerStore::add_refused_probes(const crypto::PublicKey& peer, std::int64_t count,
                                   std::int64_t last_at) {
  db_->prepare(
         "INSERT INTO refused_probes (public_key, count, last_at) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (public_key) DO UPDATE SET count = count + excluded.count, "
         "last_at = max(last_at, excluded.last_at)")
      .bind(1, ByteSpan(peer))
      .bind(2, count)
      .bind(3, last_at)
      .run();
}

std::map<crypto::PublicKey, RefusedProbes> PeerStore::refused_probes() {
  std::map<crypto::PublicKey, RefusedProbes> out;
  Statement stmt = db_->prepare("SELECT public_key, count, last_at FROM refused_probes");
  while (stmt.step()) {
    out[stmt.column_array<wire::kKeyLen>(0, "peer key")] =
        RefusedProbes{stmt.column_int64(1), stmt.column_int64(2)};
  }
  return out;
}

}  // namespace hotline::store
