#include "core/store/directory_seal.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "core/crypto/fingerprint.hpp"
#include "core/store/database.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::string_view kFieldLabel = "hotline-peer-field/1";
constexpr std::string_view kSetLabel = "hotline-peer-set/1";
constexpr std::size_t kTagLen = 16;

// The sealed fields, in seal order. Stored bytes are sealed, so a change to any of them shows.
constexpr std::array<std::string_view, 9> kFieldNames = {
    "name",    "key",         "endpoints",   "card",       "pre-shared key",
    "enabled", "verified by", "verified at", "imported at"};
constexpr std::size_t kSealLen = kFieldNames.size() * kTagLen;

constexpr std::string_view kRowColumns =
    "public_key, name, endpoints, card_text, psk_sealed, psk, enabled, verified_by, "
    "verified_at, imported_at, seal";

using Tag = std::array<std::uint8_t, kTagLen>;

struct Row {
  crypto::PublicKey key{};
  std::string name;
  std::array<std::optional<Bytes>, kFieldNames.size()> fields;
  std::optional<Bytes> seal;
};

std::optional<Bytes> text_field(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  const std::string text = s.column_text(column);
  return Bytes(text.begin(), text.end());
}

std::optional<Bytes> blob_field(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  const ByteSpan blob = s.column_blob(column);
  return Bytes(blob.begin(), blob.end());
}

std::optional<Bytes> int_field(const Statement& s, int column) {
  const std::optional<std::int64_t> v = s.column_optional_int64(column);
  if (!v) return std::nullopt;
  const std::string text = std::to_string(*v);
  return Bytes(text.begin(), text.end());
}

Row read_row(const Statement& s) {
  Row row;
  row.key = s.column_array<32>(0, "peer public key");
  row.name = s.column_text(1);
  row.fields[0] = text_field(s, 1);
  row.fields[1] = blob_field(s, 0);
  row.fields[2] = text_field(s, 2);
  row.fields[3] = text_field(s, 3);
  // A clear `psk` left behind (or put back) is a change to the pre-shared key too.
  std::optional<Bytes> psk = blob_field(s, 4);
  if (!s.is_null(5)) {
    if (!psk) psk.emplace();
    const Bytes clear_marker = {'c', 'l', 'e', 'a', 'r'};
    psk->insert(psk->end(), clear_marker.begin(), clear_marker.end());
  }
  row.fields[4] = std::move(psk);
  row.fields[5] = int_field(s, 6);
  row.fields[6] = text_field(s, 7);
  row.fields[7] = int_field(s, 8);
  row.fields[8] = int_field(s, 9);
  row.seal = blob_field(s, 10);
  return row;
}

std::vector<Row> read_rows(Database& db) {
  Statement s = db.prepare("SELECT " + std::string(kRowColumns) + " FROM peers ORDER BY name");
  std::vector<Row> rows;
  while (s.step()) rows.push_back(read_row(s));
  return rows;
}

std::optional<Row> read_row_by_key(Database& db, const crypto::PublicKey& key) {
  Statement s =
      db.prepare("SELECT " + std::string(kRowColumns) + " FROM peers WHERE public_key = ?1");
  s.bind(1, ByteSpan(key));
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

Tag field_tag(const crypto::SecretKey& mac_key, const crypto::PublicKey& key, std::size_t field,
              const std::optional<Bytes>& value) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, mac_key.data(), mac_key.size(), kTagLen);
  crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(kFieldLabel.data()),
                            kFieldLabel.size());
  crypto_generichash_update(&state, key.data(), key.size());
  std::array<std::uint8_t, 10> header{};
  header[0] = static_cast<std::uint8_t>(field);
  header[1] = value ? 1 : 0;
  store_le64(header.data() + 2, value ? value->size() : 0);
  crypto_generichash_update(&state, header.data(), header.size());
  if (value) crypto_generichash_update(&state, value->data(), value->size());
  Tag tag{};
  crypto_generichash_final(&state, tag.data(), tag.size());
  return tag;
}

Bytes row_seal(const crypto::SecretKey& mac_key, const Row& row) {
  Bytes seal;
  seal.reserve(kSealLen);
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    const Tag tag = field_tag(mac_key, row.key, i, row.fields[i]);
    seal.insert(seal.end(), tag.begin(), tag.end());
  }
  return seal;
}

// The fields whose tags differ, with the row's tags bound to `bound_to` (its own key, or the
// key it was sealed under before someone swapped it). nullopt when the row carries no seal.
std::optional<std::vector<std::size_t>> changed_fields(const crypto::SecretKey& mac_key,
                                                       const Row& row,
                                                       const crypto::PublicKey& bound_to) {
  if (!row.seal || row.seal->size() != kSealLen) return std::nullopt;
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    const Tag tag = field_tag(mac_key, bound_to, i, row.fields[i]);
    if (sodium_memcmp(tag.data(), row.seal->data() + i * kTagLen, kTagLen) != 0) {
      changed.push_back(i);
    }
  }
  return changed;
}

bool seal_holds(const crypto::SecretKey& mac_key, const Row& row) {
  const auto changed = changed_fields(mac_key, row, row.key);
  return changed && changed->empty();
}

std::string field_list(const std::vector<std::size_t>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += i + 1 == fields.size() ? " and " : ", ";
    out += kFieldNames[fields[i]];
  }
  return out;
}

void write_row_seal(Database& db, const crypto::PublicKey& key, const Bytes& seal) {
  db.prepare("UPDATE peers SET seal = ?2 WHERE public_key = ?1")
      .bind(1, ByteSpan(key))
      .bind(2, ByteSpan(seal))
      .run();
}

std::array<std::uint8_t, 32> set_mac(const crypto::SecretKey& mac_key,
                                     const std::set<crypto::PublicKey>& keys) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, mac_key.data(), mac_key.size(), 32);
  crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(kSetLabel.data()),
                            kSetLabel.size());
  for (const auto& k : keys) crypto_generichash_update(&state, k.data(), k.size());
  std::array<std::uint8_t, 32> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

// The sealed set of keys; nullopt when there is none or its MAC does not match.
std::optional<std::set<crypto::PublicKey>> sealed_set(Database& db,
                                                      const crypto::SecretKey& mac_key) {
  Statement s = db.prepare("SELECT keys, mac FROM directory_seal WHERE id = 1");
  if (!s.step()) return std::nullopt;
  const ByteSpan blob = s.column_blob(0);
  if (blob.size() % 32 != 0) return std::nullopt;
  std::set<crypto::PublicKey> keys;
  for (std::size_t at = 0; at < blob.size(); at += 32) {
    crypto::PublicKey k{};
    std::copy_n(blob.data() + at, 32, k.begin());
    keys.insert(k);
  }
  const auto stored = s.column_array<32>(1, "directory seal");
  const auto expected = set_mac(mac_key, keys);
  if (sodium_memcmp(stored.data(), expected.data(), 32) != 0) return std::nullopt;
  return keys;
}

void write_set(Database& db, const crypto::SecretKey& mac_key,
               const std::set<crypto::PublicKey>& keys) {
  Bytes blob;
  for (const auto& k : keys) blob.insert(blob.end(), k.begin(), k.end());
  const auto mac = set_mac(mac_key, keys);
  db.prepare(
        "INSERT INTO directory_seal (id, keys, mac) VALUES (1, ?1, ?2) ON CONFLICT (id) DO "
        "UPDATE SET keys = excluded.keys, mac = excluded.mac")
      .bind(1, ByteSpan(blob))
      .bind(2, ByteSpan(mac))
      .run();
}

// The set to change: the sealed one, or, if that was tampered with, the keys of the rows
// whose own seals still hold (never a row someone else added).
std::set<crypto::PublicKey> trusted_set(Database& db, const crypto::SecretKey& mac_key) {
  if (auto keys = sealed_set(db, mac_key)) return *keys;
  std::set<crypto::PublicKey> keys;
  for (const Row& row : read_rows(db)) {
    if (seal_holds(mac_key, row)) keys.insert(row.key);
  }
  return keys;
}

}  // namespace

void seal_peer(Database& db, const crypto::SecretKey& mac_key, const crypto::PublicKey& key) {
  Transaction transaction(db);
  const std::optional<Row> row = read_row_by_key(db, key);
  if (!row) throw Error("cannot seal a peer that is not in the directory");
  write_row_seal(db, key, row_seal(mac_key, *row));
  std::set<crypto::PublicKey> keys = trusted_set(db, mac_key);
  keys.insert(key);
  write_set(db, mac_key, keys);
  transaction.commit();
}

void unseal_peer(Database& db, const crypto::SecretKey& mac_key, const crypto::PublicKey& key) {
  Transaction transaction(db);
  std::set<crypto::PublicKey> keys = trusted_set(db, mac_key);
  keys.erase(key);
  write_set(db, mac_key, keys);
  transaction.commit();
}

void seal_whole_directory(Database& db, const crypto::SecretKey& mac_key) {
  Transaction transaction(db);
  std::set<crypto::PublicKey> keys;
  for (const Row& row : read_rows(db)) {
    write_row_seal(db, row.key, row_seal(mac_key, row));
    keys.insert(row.key);
  }
  write_set(db, mac_key, keys);
  transaction.commit();
}

std::vector<DirectoryFinding> check_directory(Database& db, const crypto::SecretKey& mac_key) {
  std::vector<DirectoryFinding> findings;
  const std::vector<Row> rows = read_rows(db);
  const std::optional<std::set<crypto::PublicKey>> sealed = sealed_set(db, mac_key);
  if (!sealed) {
    findings.push_back({{}, "", "", "the directory's list of peers was edited in the file"});
  }
  std::set<crypto::PublicKey> missing;  // sealed, and no row carries that key now
  if (sealed) missing = *sealed;
  for (const Row& row : rows) missing.erase(row.key);

  for (const Row& row : rows) {
    const auto note = [&](std::string field, std::string problem) {
      findings.push_back({row.key, row.name, std::move(field), std::move(problem)});
    };
    if (sealed && !sealed->contains(row.key)) {
      // A key swapped in the file: the row still holds under a missing key but for the key.
      const auto swapped = std::find_if(missing.begin(), missing.end(), [&](const auto& k) {
        const auto changed = changed_fields(mac_key, row, k);
        return changed && *changed == std::vector<std::size_t>{1};
      });
      if (swapped != missing.end()) {
        note("key", "peer '" + row.name + "': its key was changed in the file outside the " +
                        "console (sealed with fingerprint " + crypto::fingerprint(*swapped) + ")");
        missing.erase(swapped);
      } else {
        note("", "peer '" + row.name + "' was added to the file outside the console");
      }
      continue;
    }
    const auto changed = changed_fields(mac_key, row, row.key);
    if (!changed) {
      note("", "peer '" + row.name + "' carries no seal: it was written outside the console");
    } else if (changed->size() == kFieldNames.size()) {
      note("", "peer '" + row.name + "': its seal was changed in the file outside the console");
    } else if (!changed->empty()) {
      note(std::string(kFieldNames[changed->front()]),
           "peer '" + row.name + "' was changed in the file outside the console (" +
               field_list(*changed) + ")");
    }
  }
  for (const auto& key : missing) {
    findings.push_back({key, "", "",
                        "the peer with fingerprint " + crypto::fingerprint(key) +
                            " was deleted from the file outside the console"});
  }
  return findings;
}

}  // namespace hotline::store
