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

}  // namespace

std::int64_t PeerStore::add(const PeerRecord& peer) {
  if (peer.name.empty()) throw Error("a peer needs a name");
  const std::string endpoints = encode_endpoints(peer.endpoints);

  Transaction transaction(*db_);
  Statement by_name = db_->prepare("SELECT 1 FROM peers WHERE name = ?1");
  if (by_name.bind(1, peer.name).step()) {
    throw Error("a peer named '" + peer.name + "' already exists");
  }
  Statement by_key = db_->prepare("SELECT name FROM peers WHERE public_key = ?1");
  if (by_key.bind(1, ByteSpan(peer.public_key)).step()) {
    throw Error("this key is already imported as peer '" + by_key.column_text(0) + "'");
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

bool PeerStore::remove(std::string_view name) {
  Statement stmt = db_->prepare("DELETE FROM peers WHERE name = ?1 RETURNING id");
  const bool removed = stmt.bind(1, name).step();
  while (stmt.step()) {
  }
  return removed;
}

void PeerStore::set_endpoints(std::string_view name, const std::vector<std::string>& endpoints) {
  Statement stmt = db_->prepare("UPDATE peers SET endpoints = ?2 WHERE name = ?1 RETURNING id");
  const bool updated = stmt.bind(1, name).bind(2, encode_endpoints(endpoints)).step();
  while (stmt.step()) {
  }
  if (!updated) throw Error("no peer named '" + std::string(name) + "'");
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

std::optional<HandshakeTimestamp> PeerStore::last_handshake_timestamp(
    const crypto::PublicKey& peer) {
  Statement stmt =
      db_->prepare("SELECT last_timestamp FROM handshake_replay WHERE public_key = ?1");
  if (!stmt.bind(1, ByteSpan(peer)).step()) return std::nullopt;
  return stmt.column_array<wire::kTimestampLen>(0, "handshake timestamp");
}

}  // namespace hotline::store
