#include "core/store/audit_log.hpp"

#include <sodium.h>

#include <algorithm>
#include <iterator>

#include "core/store/audit_anchor.hpp"
#include "core/store/audit_codec.hpp"
#include "core/store/audit_text.hpp"
#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/util/error.hpp"

namespace hotline::store {

using audit_codec::Head;

namespace {

constexpr std::string_view kEntryLabel = "hotline-audit-entry/1";
constexpr std::string_view kSealedEntryLabel = "hotline-audit-entry/2";
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

std::optional<AuditEntry> last_entry(Database& db) {
  Statement stmt = db.prepare("SELECT " + std::string(audit_codec::kColumns) +
                              " FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!stmt.step()) return std::nullopt;
  return audit_codec::read_entry(stmt);
}

// Moves the entry's role, actor and details into its box, as `authority` can (see there).
void seal_text(Database& db, AuditEntry& e, const AuditAuthority& authority) {
  const AuditText text{e.role, e.actor, e.details};
  if (authority.epoch) {
    e.epoch = authority.epoch->id;
    e.box = seal_audit_text(authority.epoch->key, e.seq, e.epoch, text);
  } else if (const auto readers = HistoryKeyStore(db).stored_readers(); !readers.empty()) {
    e.epoch = 0;
    e.box = seal_audit_text_to(readers, e.seq, text);
  } else {
    return;  // no role can read anything yet: seal_clear() seals it once one can
  }
  e.role.clear();
  e.actor.clear();
  e.details.clear();
}

void write_row(Statement& stmt, const AuditEntry& e) {
  stmt.bind(1, e.seq)
      .bind(2, e.at)
      .bind(3, e.role)
      .bind(4, e.actor)
      .bind(5, e.action)
      .bind(6, e.details)
      .bind(7, ByteSpan(e.prev_hash))
      .bind(8, e.signature)
      .bind(9, e.mac)
      .bind(10, e.epoch);
  if (e.sealed()) {
    stmt.bind(11, ByteSpan(e.box));
  } else {
    stmt.bind_null(11);
  }
  stmt.run();
}

void insert(Database& db, AuditEntry& e, const AuditAuthority& authority) {
  seal_text(db, e, authority);
  const AuditHash hash = AuditLog::entry_hash(e);
  if (authority.signer) {
    e.signature = authority.signer->sign(audit_codec::entry_message(hash));
  } else if (authority.mac_key) {
    e.mac = audit_codec::mac(*authority.mac_key, audit_codec::entry_message(hash));
  }
  Statement stmt = db.prepare("INSERT INTO audit_log (" + std::string(audit_codec::kColumns) +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  write_row(stmt, e);
  audit_codec::write_head(db, audit_codec::vouched_head(e.seq, hash, authority));
}

std::filesystem::path anchor_path(const Database& db) {
  return db.path().parent_path() / AuditLog::kAnchorFileName;
}

}  // namespace

std::string_view to_string(AuditFinding finding) {
  switch (finding) {
    case AuditFinding::kNone:
      return "none";
    case AuditFinding::kEdited:
      return "edited";
    case AuditFinding::kRemoved:
      return "removed";
    case AuditFinding::kTruncated:
      return "truncated";
    case AuditFinding::kForged:
      return "forged";
    case AuditFinding::kReordered:
      break;
  }
  return "reordered";
}

AuditLog::AuditLog(Database& db, const crypto::PublicKey& console_key)
    : db_(&db), key_(console_key) {}

bool AuditLog::keyless_action(std::string_view action) {
  return action == "role.unlock.failed" || action == "role.unlock.throttled" ||
         action == "role.unlock.refused" || action == kHeadMissingAction;
}

AuditHash AuditLog::entry_hash(const AuditEntry& e) {
  if (e.sealed()) {
    return Blake2b256()
        .add(kSealedEntryLabel)
        .add_u64(static_cast<std::uint64_t>(e.seq))
        .add_u64(static_cast<std::uint64_t>(e.at))
        .add_u64(static_cast<std::uint64_t>(e.epoch))
        .add_field(e.action)
        .add_field(std::string_view(reinterpret_cast<const char*>(e.box.data()), e.box.size()))
        .add(ByteSpan(e.prev_hash))
        .finish();
  }
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
                              std::int64_t now_ms, AuditAuthority authority) {
  if (authority.signer && authority.signer->public_key() != key_) {
    throw Error("audit entries must be signed with this console's key");
  }
  if (!authority.signer && !authority.mac_key && !keyless_action(action)) {
    throw Error("'" + std::string(action) +
                "' can go on record only with the console's key or a role's key");
  }
  Transaction transaction(*db_);
  // The head, not the last row, says where the log goes on: entries cut off the end then
  // leave a gap that verify() reports.
  std::optional<Head> head = audit_codec::read_head(*db_);
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
    insert(*db_, note, authority);
    head = audit_codec::read_head(*db_);
  }
  AuditEntry e;
  e.seq = head ? head->seq + 1 : 1;
  e.at = now_ms;
  e.role = std::string(role);
  e.actor = std::string(actor);
  e.action = std::string(action);
  e.details = std::string(details);
  e.prev_hash = head ? head->hash : genesis();
  insert(*db_, e, authority);
  transaction.commit();
  // After the commit: an anchor ahead of the log would be a false alarm; one behind it only
  // checks less.
  write_audit_anchor(anchor_path(*db_), e.seq, entry_hash(e), authority);
  return e.seq;
}

std::int64_t AuditLog::sign_pending(const crypto::Identity& signer,
                                    const crypto::SecretKey* mac_key, bool adopt_unvouched) {
  if (signer.public_key() != key_)
    throw Error("audit entries must be signed with this console's key");
  // Without the records key the checks are not strict, and a head rewritten by someone else
  // would be signed over.
  if (!mac_key && !adopt_unvouched) return 0;
  Transaction transaction(*db_);
  // A log being adopted predates MACs and the anchor file: only what it could carry (the
  // chain, the signatures, the head) is checked, else no entry of it could ever be adopted.
  if (!verify(adopt_unvouched ? nullptr : mac_key).intact) return 0;  // left as found
  std::vector<AuditEntry> entries = list();
  if (entries.empty()) return 0;
  Statement update = db_->prepare("UPDATE audit_log SET signature = ?2, mac = NULL WHERE seq = ?1");
  std::int64_t signed_now = 0;
  for (const AuditEntry& e : entries) {
    if (e.signature) continue;
    // verify() passed with the key, so a MAC present was checked.
    const bool vouched = e.mac.has_value() && mac_key != nullptr;
    if (!vouched && !adopt_unvouched) continue;
    const crypto::Signature sig = signer.sign(audit_codec::entry_message(entry_hash(e)));
    update.reset();
    update.bind(1, e.seq).bind(2, ByteSpan(sig)).run();
    ++signed_now;
  }
  const AuditEntry& newest = entries.back();
  const AuditHash hash = entry_hash(newest);
  audit_codec::write_head(*db_, audit_codec::vouched_head(newest.seq, hash, {&signer, nullptr}));
  transaction.commit();
  write_audit_anchor(anchor_path(*db_), newest.seq, hash, {&signer, nullptr});
  return signed_now;
}

std::vector<AuditEntry> AuditLog::list() {
  Statement stmt =
      db_->prepare("SELECT " + std::string(audit_codec::kColumns) + " FROM audit_log ORDER BY seq");
  std::vector<AuditEntry> entries;
  while (stmt.step()) entries.push_back(audit_codec::read_entry(stmt));
  return entries;
}

std::vector<AuditEntry> AuditLog::read(HistoryKeyring& keyring) {
  keyring.refresh(*db_);
  std::vector<AuditEntry> entries = list();
  for (AuditEntry& e : entries) {
    if (!e.sealed()) continue;
    std::optional<AuditText> text = open_audit_text(keyring, e.seq, e.epoch, e.box);
    if (!text) {
      e.role.clear();
      e.actor.clear();
      e.details.clear();
      e.text = AuditEntry::Text::kUnreadable;
      continue;
    }
    e.role = std::move(text->role);
    e.actor = std::move(text->actor);
    e.details = std::move(text->details);
    e.text = AuditEntry::Text::kOpened;
  }
  return entries;
}

bool AuditLog::has_clear_entries() {
  Statement stmt = db_->prepare("SELECT EXISTS (SELECT 1 FROM audit_log WHERE box IS NULL)");
  return stmt.step() && stmt.column_int64(0) != 0;
}

std::int64_t AuditLog::seal_clear(const crypto::Identity& signer, const crypto::SecretKey& mac_key,
                                  const HistoryEpoch& epoch) {
  if (signer.public_key() != key_)
    throw Error("audit entries must be signed with this console's key");
  Transaction transaction(*db_);
  if (!verify(&mac_key).intact) return 0;  // left as found, for an administrator to see
  std::vector<AuditEntry> entries = list();
  const auto first_clear =
      std::find_if(entries.begin(), entries.end(), [](const AuditEntry& e) { return !e.sealed(); });
  if (first_clear == entries.end()) return 0;
  AuditHash prev = first_clear == entries.begin() ? genesis() : entry_hash(*std::prev(first_clear));
  Statement remove_row = db_->prepare("DELETE FROM audit_log WHERE seq = ?1");
  Statement insert_row =
      db_->prepare("INSERT INTO audit_log (" + std::string(audit_codec::kColumns) +
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  const AuditAuthority under_epoch{nullptr, nullptr, &epoch};
  std::int64_t sealed_now = 0;
  for (auto it = first_clear; it != entries.end(); ++it) {
    AuditEntry& e = *it;
    if (!e.sealed()) {
      seal_text(*db_, e, under_epoch);
      ++sealed_now;
    }
    e.prev_hash = prev;
    prev = entry_hash(e);
    // verify() passed with the key: every tag present was checked. Unlock attempts written
    // without any key stay without one.
    if (e.signature || e.mac) {
      e.signature = signer.sign(audit_codec::entry_message(prev));
      e.mac.reset();
    }
    remove_row.reset();
    remove_row.bind(1, e.seq).run();
    insert_row.reset();
    write_row(insert_row, e);
  }
  const std::int64_t last = entries.back().seq;
  audit_codec::write_head(*db_, audit_codec::vouched_head(last, prev, {&signer, nullptr}));
  transaction.commit();
  write_audit_anchor(anchor_path(*db_), last, prev, {&signer, nullptr});
  return sealed_now;
}

}  // namespace hotline::store
