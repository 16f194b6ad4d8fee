#pragma once
// The consoles this one knows: imported peer cards and their replay-protection state.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"
#include "core/wire/wire.hpp"

namespace hotline::store {

class Database;

using HandshakeTimestamp = std::array<std::uint8_t, wire::kTimestampLen>;  // TAI64N

struct RefusedProbes {
  std::int64_t count = 0;
  std::int64_t last_at = 0;  // unix ms
};

struct PeerRecord {
  std::int64_t id = 0;  // assigned by add(); ignored on input
  std::string name;
  crypto::PublicKey public_key{};
  std::vector<std::string> endpoints;  // "host:port", at least one
  std::string card_text;               // the card as imported, for re-export and audit
  // Filled only when the store holds the records key (use_keys); has_psk says whether the
  // peer has one either way.
  std::optional<crypto::SecretKey> psk;
  bool has_psk = false;
  bool enabled = true;
  std::optional<std::string> verified_by;   // who compared fingerprints by voice
  std::optional<std::int64_t> verified_at;  // unix seconds
  std::int64_t imported_at = 0;             // unix seconds
};

// A peer that was removed: its calls are still refused (and recorded), never rung.
struct RemovedPeer {
  crypto::PublicKey public_key{};
  std::string name;
  std::int64_t removed_at = 0;  // unix seconds
};

struct RecordsKeys;

// Pre-shared keys are stored encrypted under the records key (XChaCha20-Poly1305, the peer's
// public key as associated data), and every change re-seals the peer (directory_seal.hpp). A
// store without the records key reads everything but the pre-shared keys, refuses to store
// one, and leaves what it changes unsealed, which the console then refuses to use.
class PeerStore {
 public:
  explicit PeerStore(Database& db) : db_(&db) {}
  void use_keys(const RecordsKeys* keys) { keys_ = keys; }

  // Throws hotline::Error "a peer named 'X' already exists" or "this key is already imported
  // as peer 'Y'"; nothing is written then. Returns the new row id.
  std::int64_t add(const PeerRecord& peer);

  std::vector<PeerRecord> list();  // ordered by name
  std::optional<PeerRecord> find_by_name(std::string_view name);
  std::optional<PeerRecord> find_by_key(const crypto::PublicKey& key);
  // False if there was no such peer. Its key is kept in removed() until imported again.
  bool remove(std::string_view name, std::int64_t removed_at);
  std::vector<RemovedPeer> removed();  // ordered by name

  // These throw hotline::Error "no peer named 'X'" if absent.
  void set_endpoints(std::string_view name, const std::vector<std::string>& endpoints);
  void set_psk(std::string_view name, const crypto::SecretKey* psk);  // null: no pre-shared key
  void set_enabled(std::string_view name, bool enabled);
  void set_verified(std::string_view name, std::optional<std::string> by,
                    std::optional<std::int64_t> at);
  // A new key (and card) for an existing peer: unverified again, pre-shared key kept.
  // Throws if the key already belongs to another peer.
  void replace_key(std::string_view name, const crypto::PublicKey& key, std::string_view card_text,
                   const std::vector<std::string>& endpoints, std::int64_t imported_at);

  // Replay protection for handshake initiations: stores `timestamp` and returns true only if
  // it is strictly newer (bytewise, i.e. big-endian TAI64N order) than the one stored for
  // `peer`. A single UPSERT, so it is atomic across connections and processes.
  bool accept_handshake_timestamp(const crypto::PublicKey& peer,
                                  const HandshakeTimestamp& timestamp);
  std::optional<HandshakeTimestamp> last_handshake_timestamp(const crypto::PublicKey& peer);
  // Drops the stored one (an administrator's reset, or the peer's removal); true if there was
  // one. The next initiation from that key is accepted whatever its date, within the bound.
  bool forget_handshake_timestamp(const crypto::PublicKey& peer);
  // Every stored one, by peer key (what a starting engine keeps in memory).
  std::map<crypto::PublicKey, HandshakeTimestamp> handshake_timestamps();

  // A disabled or removed peer's line-status probes the console refused: `count` more, the
  // last at `last_at` (unix ms). Dropped with the peer's removal.
  void add_refused_probes(const crypto::PublicKey& peer, std::int64_t count, std::int64_t last_at);
  std::map<crypto::PublicKey, RefusedProbes> refused_probes();

  // Encrypts every pre-shared key still stored in the clear (a profile from before schema
  // v4); needs the records key. Returns how many.
  int encrypt_clear_psks();

 private:
  void refuse_unsealed_change();
  void refuse_tampered(std::string_view name);
  void seal(const crypto::PublicKey& key);
  Bytes seal_psk(const crypto::PublicKey& peer, const crypto::SecretKey& psk) const;

  Database* db_;
  const RecordsKeys* keys_ = nullptr;
};

}  // namespace hotline::store
