#include "core/store/audit_codec.hpp"

#include <sodium.h>

#include <cstring>
#include <initializer_list>

#include "core/store/database.hpp"

namespace hotline::store::audit_codec {
namespace {

constexpr std::string_view kEntryLabel = "hotline-audit-entry/1";
constexpr std::string_view kHeadLabel = "hotline-audit-head/1";
constexpr std::string_view kAnchorLabel = "hotline-audit-anchor/1";

Bytes labelled(std::string_view label, std::initializer_list<ByteSpan> parts) {
  std::size_t size = label.size();
  for (ByteSpan p : parts) size += p.size();
  Bytes m(size);
  std::memcpy(m.data(), label.data(), label.size());
  std::size_t at = label.size();
  for (ByteSpan p : parts) {
    std::memcpy(m.data() + at, p.data(), p.size());
    at += p.size();
  }
  return m;
}

Bytes position_message(std::string_view label, std::int64_t seq, const AuditHash& hash) {
  std::array<std::uint8_t, 8> le{};
  store_le64(le.data(), static_cast<std::uint64_t>(seq));
  return labelled(label, {ByteSpan(le), ByteSpan(hash)});
}

}  // namespace

Bytes entry_message(const AuditHash& hash) {
  return labelled(kEntryLabel, {ByteSpan(hash)});
}

Bytes head_message(std::int64_t seq, const AuditHash& hash) {
  return position_message(kHeadLabel, seq, hash);
}

Bytes anchor_message(std::int64_t seq, const AuditHash& hash) {
  return position_message(kAnchorLabel, seq, hash);
}

AuditMac mac(const crypto::SecretKey& key, ByteSpan message) {
  AuditMac out{};
  crypto_generichash(out.data(), out.size(), message.data(), message.size(), key.data(),
                     key.size());
  return out;
}

bool mac_matches(const crypto::SecretKey& key, ByteSpan message, const AuditMac& tag) {
  const AuditMac expected = mac(key, message);
  return sodium_memcmp(expected.data(), tag.data(), tag.size()) == 0;
}

std::optional<Head> read_head(Database& db) {
  Statement stmt = db.prepare("SELECT seq, hash, signature, mac FROM audit_head WHERE id = 1");
  if (!stmt.step()) return std::nullopt;
  Head head;
  head.seq = stmt.column_int64(0);
  head.hash = stmt.column_array<32>(1, "audit head hash");
  if (!stmt.is_null(2)) head.signature = stmt.column_array<64>(2, "audit head signature");
  if (!stmt.is_null(3)) head.mac = stmt.column_array<32>(3, "audit head MAC");
  return head;
}

void write_head(Database& db, const Head& head) {
  Statement stmt = db.prepare(
      "INSERT INTO audit_head (id, seq, hash, signature, mac) VALUES (1, ?1, ?2, ?3, ?4) "
      "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
      "signature = excluded.signature, mac = excluded.mac");
  stmt.bind(1, head.seq).bind(2, ByteSpan(head.hash)).bind(3, head.signature).bind(4, head.mac);
  stmt.run();
}

Head vouched_head(std::int64_t seq, const AuditHash& hash, const AuditAuthority& authority) {
  Head head{seq, hash, std::nullopt, std::nullopt};
  if (authority.signer) {
    head.signature = authority.signer->sign(head_message(seq, hash));
  } else if (authority.mac_key) {
    head.mac = mac(*authority.mac_key, head_message(seq, hash));
  }
  return head;
}

AuditEntry read_entry(const Statement& row) {
  AuditEntry e;
  e.seq = row.column_int64(0);
  e.at = row.column_int64(1);
  e.role = row.column_text(2);
  e.actor = row.column_text(3);
  e.action = row.column_text(4);
  e.details = row.column_text(5);
  e.prev_hash = row.column_array<32>(6, "audit entry hash");
  if (!row.is_null(7)) e.signature = row.column_array<64>(7, "audit entry signature");
  if (!row.is_null(8)) e.mac = row.column_array<32>(8, "audit entry MAC");
  e.epoch = row.column_int64(9);
  if (!row.is_null(10)) {
    const ByteSpan box = row.column_blob(10);
    e.box.assign(box.begin(), box.end());
  }
  if (e.sealed()) e.text = AuditEntry::Text::kSealed;
  return e;
}

}  // namespace hotline::store::audit_codec
