#include "core/store/peer_store.hpp"

#include "core/store/database.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::string_view kPeerColumns =
    "id, name, public_key, endpoints, card_text, psk, enabled, verified_by, verified_at, "
    "imported_at";

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

PeerRecord read_row(const Statement& row) {
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
  }
  peer.enabled = row.column_int64(6) != 0;
  peer.verified_by = row.column_optional_text(7);
  peer.verified_at = row.column_optional_int64(8);
  peer.imported_at = row.column_int64(9);
  return peer;
}

std::optional<PeerRecord> first_row(Statement& stmt) {
  if (!stmt.step()) return std::nullopt;
  return read_row(stmt);
}

// Runs an UPDATE ... WHERE name = ?1 RETURNING id; throws when no peer has that name.
void update_named(Statement& stmt, std::string_view name) {
  const bool updated = stmt.step();
  while (stmt.step()) {
  }
  if (!updated)
    throw Error(ErrorCode::kPeerNotFound, "no peer named '" + std::string(name) + "'",
                {std::string(name)});
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
      "INSERT INTO peers (name, public_key, endpoints, card_text, psk, enabled, verified_by, "
      "verified_at, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind(1, peer.name)
      .bind(2, ByteSpan(peer.public_key))
      .bind(3, endpoints)
      .bind(4, peer.card_text)
      .bind(6, std::int64_t{peer.enabled ? 1 : 0})
      .bind(7, peer.verified_by)
      .bind(8, peer.verified_at)
      .bind(9, peer.imported_at);
  // SQLite keeps its own copy of bound blobs; that copy lives in SQLite's heap until freed.
  if (peer.psk) {
    insert.bind(5, ByteSpan(peer.psk->span()));
  } else {
    insert.bind_null(5);
  }
  insert.run();
  const std::int64_t id = db_->last_insert_rowid();
  db_->prepare("DELETE FROM removed_peers WHERE public_key = ?1")
      .bind(1, ByteSpan(peer.public_key))
      .run();
  transaction.commit();
  return id;
}

std::vector<PeerRecord> PeerStore::list() {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers ORDER BY name");
  std::vector<PeerRecord> peers;
  while (stmt.step()) peers.push_back(read_row(stmt));
  return peers;
}

std::optional<PeerRecord> PeerStore::find_by_name(std::string_view name) {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers WHERE name = ?1");
  stmt.bind(1, name);
  return first_row(stmt);
}

std::optional<PeerRecord> PeerStore::find_by_key(const crypto::PublicKey& key) {
  Statement stmt =
      db_->prepare("SELECT " + std::string(kPeerColumns) + " FROM peers WHERE public_key = ?1");
  stmt.bind(1, ByteSpan(key));
  return first_row(stmt);
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
  Statement stmt = db_->prepare("UPDATE peers SET endpoints = ?2 WHERE name = ?1 RETURNING id");
  stmt.bind(1, name).bind(2, encode_endpoints(endpoints));
  update_named(stmt, name);
}

void PeerStore::set_psk(std::string_view name, const crypto::SecretKey* psk) {
  Statement stmt = db_->prepare("UPDATE peers SET psk = ?2 WHERE name = ?1 RETURNING id");
  stmt.bind(1, name);
  if (psk) {
    stmt.bind(2, ByteSpan(psk->span()));
  } else {
    stmt.bind_null(2);
  }
  update_named(stmt, name);
}

void PeerStore::set_enabled(std::string_view name, bool enabled) {
  Statement stmt = db_->prepare("UPDATE peers SET enabled = ?2 WHERE name = ?1 RETURNING id");
  stmt.bind(1, name).bind(2, std::int64_t{enabled ? 1 : 0});
  update_named(stmt, name);
}

void PeerStore::set_verified(std::string_view name, std::optional<std::string> by,
                             std::optional<std::int64_t> at) {
  Statement stmt = db_->prepare(
      "UPDATE peers SET verified_by = ?2, verified_at = ?3 WHERE name = ?1 RETURNING id");
  stmt.bind(1, name).bind(2, by).bind(3, at);
  update_named(stmt, name);
}

void PeerStore::replace_key(std::string_view name, const crypto::PublicKey& key,
                            std::string_view card_text, const std::vector<std::string>& endpoints,
                            std::int64_t imported_at) {
  const std::string joined = encode_endpoints(endpoints);
  Transaction transaction(*db_);
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
      "verified_by = NULL, verified_at = NULL WHERE name = ?1 RETURNING id");
  stmt.bind(1, name).bind(2, ByteSpan(key)).bind(3, card_text).bind(4, joined).bind(5, imported_at);
  update_named(stmt, name);
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

}  // namespace hotline::store
