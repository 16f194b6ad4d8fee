#include "core/store/audit_log.hpp"

#include <sodium.h>

#include <cstring>
#include <initializer_list>
#include <iterator>

#include "core/store/database.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::string_view kEntryLabel = "hotline-audit-entry/1";
constexpr std::string_view kHeadLabel = "hotline-audit-head/1";
constexpr std::string_view kGenesisLabel = "hotline-audit-genesis/1";
// Appended, and reported by verify(), when the head row was found missing: entries may have
// been cut off the end before the log carried on.
constexpr std::string_view kHeadMissingAction = "audit.head_missing";

class Blake2b256 {
 public:
  Blake2b256() { crypto_generichash_init(&state_, nullptr, 0, 32); }
  Blake2b256& add(ByteSpan bytes) {
    crypto_generichash_update(&state_, bytes.data(), bytes.size());
    return *this;
  }
  Blake2b256& add(std::string_view text) { return add(as_bytes(text)); }
  Blake2b256& add_u64(std::uint64_t v) {
    std::array<std::uint8_t, 8> le{};
    store_le64(le.data(), v);
    return add(ByteSpan(le));
  }
  // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
  Blake2b256& add_field(std::string_view text) {
    add_u64(text.size());
    return add(text);
  }
  AuditHash finish() {
    AuditHash out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
  }

 private:
  crypto_generichash_state state_{};
};

// What is signed: a label, then the fields, so an entry's signature is never a head's.
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

Bytes entry_message(const AuditHash& hash) {
  return labelled(kEntryLabel, {ByteSpan(hash)});
}

Bytes head_message(std::int64_t seq, const AuditHash& hash) {
  std::array<std::uint8_t, 8> le{};
  store_le64(le.data(), static_cast<std::uint64_t>(seq));
  return labelled(kHeadLabel, {ByteSpan(le), ByteSpan(hash)});
}

struct Head {
  std::int64_t seq = 0;
  AuditHash hash{};
  std::optional<crypto::Signature> signature;
};

std::optional<Head> read_head(Database& db) {
  Statement stmt = db.prepare("SELECT seq, hash, signature FROM audit_head WHERE id = 1");
  if (!stmt.step()) return std::nullopt;
  Head head;
  head.seq = stmt.column_int64(0);
  head.hash = stmt.column_array<32>(1, "audit head hash");
  if (!stmt.is_null(2)) head.signature = stmt.column_array<64>(2, "audit head signature");
  return head;
}

void write_head(Database& db, const Head& head) {
  Statement stmt = db.prepare(
      "INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, ?1, ?2, ?3) "
      "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
      "signature = excluded.signature");
  stmt.bind(1, head.seq).bind(2, ByteSpan(head.hash));
  if (head.signature) {
    stmt.bind(3, ByteSpan(*head.signature));
  } else {
    stmt.bind_null(3);
  }
  stmt.run();
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
  return e;
}

std::optional<AuditEntry> last_entry(Database& db) {
  Statement stmt = db.prepare(
      "SELECT seq, at, role, actor, action, details, prev_hash, signature FROM audit_log "
      "ORDER BY seq DESC LIMIT 1");
  if (!stmt.step()) return std::nullopt;
  return read_entry(stmt);
}

std::int64_t insert(Database& db, AuditEntry& e, const crypto::Identity* signer) {
  if (signer) e.signature = signer->sign(entry_message(AuditLog::entry_hash(e)));
  Statement stmt = db.prepare(
      "INSERT INTO audit_log (seq, at, role, actor, action, details, prev_hash, signature) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  stmt.bind(1, e.seq)
      .bind(2, e.at)
      .bind(3, e.role)
      .bind(4, e.actor)
      .bind(5, e.action)
      .bind(6, e.details)
      .bind(7, ByteSpan(e.prev_hash));
  if (e.signature) {
    stmt.bind(8, ByteSpan(*e.signature));
  } else {
    stmt.bind_null(8);
  }
  stmt.run();
  Head head{e.seq, AuditLog::entry_hash(e), std::nullopt};
  if (signer) head.signature = signer->sign(head_message(head.seq, head.hash));
  write_head(db, head);
  return e.seq;
}

}  // namespace

AuditHash AuditLog::entry_hash(const AuditEntry& e) {
  return Blake2b256()
      .add(kEntryLabel)
      .add_u64(static_cast<std::uint64_t>(e.seq))
      .add_u64(static_cast<std::uint64_t>(e.at))
      .add_field(e.role)
      .add_field(e.actor)
      .add_field(e.action)
      .add_field(e.details)
      .add(ByteSpan(e.prev_hash))
      .finish();
}

AuditHash AuditLog::genesis() const {
  return Blake2b256().add(kGenesisLabel).add(ByteSpan(key_)).finish();
}

std::int64_t AuditLog::append(std::string_view role, std::string_view actor,
                              std::string_view action, std::string_view details,
                              std::int64_t now_ms, const crypto::Identity* signer) {
  if (signer && signer->public_key() != key_) {
    throw Error("audit entries must be signed with this console's key");
  }
  Transaction transaction(*db_);
  // The head, not the last row, says where the log goes on: entries cut off the end then
  // leave a gap that verify() reports.
  std::optional<Head> head = read_head(*db_);
  const std::optional<AuditEntry> last = last_entry(*db_);
  if (!head && last) {
    // Carry on from the last row, but on record: this entry stays in the log for good.
    AuditEntry note;
    note.seq = last->seq + 1;
    note.at = now_ms;
    note.role = "-";
    note.actor = "console";
    note.action = std::string(kHeadMissingAction);
    note.details = "the log's head record was missing; entries after " + std::to_string(last->seq) +
                   " may have been removed";
    note.prev_hash = entry_hash(*last);
    insert(*db_, note, signer);
    head = read_head(*db_);
  }
  AuditEntry e;
  e.seq = head ? head->seq + 1 : 1;
  e.at = now_ms;
  e.role = std::string(role);
  e.actor = std::string(actor);
  e.action = std::string(action);
  e.details = std::string(details);
  e.prev_hash = head ? head->hash : genesis();
  const std::int64_t seq = insert(*db_, e, signer);
  transaction.commit();
  return seq;
}

std::int64_t AuditLog::sign_pending(const crypto::Identity& signer) {
  if (signer.public_key() != key_)
    throw Error("audit entries must be signed with this console's key");
  Transaction transaction(*db_);
  const std::optional<Head> head = read_head(*db_);
  if (!head || head->signature) return 0;
  // Only an unbroken run of unsigned entries that ends exactly at the head is signed, after
  // its chain is checked: a forged row slipped in elsewhere stays unsigned, for verify().
  Statement stmt = db_->prepare(
      "SELECT seq, at, role, actor, action, details, prev_hash, signature FROM audit_log "
      "WHERE seq <= ?1 ORDER BY seq DESC");
  stmt.bind(1, head->seq);
  std::vector<AuditEntry> pending;  // newest first
  std::optional<AuditHash> anchor;  // hash of the newest signed entry before them
  while (stmt.step()) {
    AuditEntry e = read_entry(stmt);
    if (e.signature) {
      anchor = entry_hash(e);
      break;
    }
    pending.push_back(std::move(e));
  }
  if (pending.empty() || pending.front().seq != head->seq ||
      entry_hash(pending.front()) != head->hash) {
    return 0;
  }
  AuditHash expected = anchor ? *anchor : genesis();
  for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
    if (it->prev_hash != expected ||
        (it != pending.rbegin() && it->seq != std::prev(it)->seq + 1)) {
      return 0;
    }
    expected = entry_hash(*it);
  }
  if (!anchor && pending.back().seq != 1) return 0;

  Statement update = db_->prepare("UPDATE audit_log SET signature = ?2 WHERE seq = ?1");
  for (const AuditEntry& e : pending) {
    const crypto::Signature sig = signer.sign(entry_message(entry_hash(e)));
    update.reset();
    update.bind(1, e.seq).bind(2, ByteSpan(sig)).run();
  }
  write_head(*db_, Head{head->seq, head->hash, signer.sign(head_message(head->seq, head->hash))});
  transaction.commit();
  return static_cast<std::int64_t>(pending.size());
}

std::vector<AuditEntry> AuditLog::list() {
  Statement stmt = db_->prepare(
      "SELECT seq, at, role, actor, action, details, prev_hash, signature FROM audit_log "
      "ORDER BY seq");
  std::vector<AuditEntry> entries;
  while (stmt.step()) entries.push_back(read_entry(stmt));
  return entries;
}

AuditVerdict AuditLog::verify() {
  AuditVerdict v;
  const auto bad = [&v](std::int64_t seq, std::string problem) {
    v.intact = false;
    v.first_bad = seq;
    v.problem = std::move(problem);
    return v;
  };
  const std::vector<AuditEntry> entries = list();
  v.entries = static_cast<std::int64_t>(entries.size());
  AuditHash expected = genesis();
  std::int64_t expected_seq = 1;
  bool previous_signed = true;
  for (const AuditEntry& e : entries) {
    const std::string n = std::to_string(e.seq);
    if (e.seq != expected_seq) {
      return bad(expected_seq, e.seq - expected_seq == 1
                                   ? "entry " + std::to_string(expected_seq) + " was removed"
                                   : "entries " + std::to_string(expected_seq) + " to " +
                                         std::to_string(e.seq - 1) + " were removed");
    }
    const AuditHash hash = entry_hash(e);
    if (e.signature && !crypto::verify_signature(key_, entry_message(hash), *e.signature)) {
      return bad(e.seq, "entry " + n + " was edited: its signature does not match");
    }
    if (e.prev_hash != expected) {
      if (!previous_signed) {
        return bad(e.seq - 1, "entry " + std::to_string(e.seq - 1) +
                                  " was edited: the next entry's hash of it does not match");
      }
      return bad(e.seq, "entry " + n + " does not follow entry " + std::to_string(e.seq - 1) +
                            ": entries were reordered or replaced");
    }
    if (e.action == kHeadMissingAction) {
      return bad(e.seq, "before entry " + n +
                            " the log's head record was missing: entries may have been removed "
                            "from the end");
    }
    if (!e.signature) ++v.unsigned_entries;
    previous_signed = e.signature.has_value();
    expected = hash;
    ++expected_seq;
  }
  const std::optional<Head> head = read_head(*db_);
  const std::int64_t last = expected_seq - 1;
  if (!head) {
    if (last > 0)
      return bad(last,
                 "the log's head record is missing: entries may have been removed from the end");
    return v;
  }
  if (head->signature &&
      !crypto::verify_signature(key_, head_message(head->seq, head->hash), *head->signature)) {
    return bad(head->seq, "the log's head record was edited: its signature does not match");
  }
  if (head->seq > last) {
    return bad(last + 1, head->seq == last + 1
                             ? "entry " + std::to_string(last + 1) + " was removed from the end"
                             : "entries " + std::to_string(last + 1) + " to " +
                                   std::to_string(head->seq) + " were removed from the end");
  }
  if (head->seq != last || head->hash != expected) {
    return bad(last, "entry " + std::to_string(last) + " does not match the log's head record");
  }
  return v;
}

}  // namespace hotline::store
