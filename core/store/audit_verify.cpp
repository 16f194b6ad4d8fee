// AuditLog::verify: walks the chain, then the head row, then the anchor file, and names the
// first thing found wrong.

#include "core/store/audit_anchor.hpp"
#include "core/store/audit_codec.hpp"
#include "core/store/audit_log.hpp"
#include "core/store/database.hpp"

namespace hotline::store {
namespace {

std::string n(std::int64_t seq) {
  return std::to_string(seq);
}

std::string range(std::int64_t first, std::int64_t last) {
  return first == last ? "entry " + n(first) + " was"
                       : "entries " + n(first) + " to " + n(last) + " were";
}

}  // namespace

AuditVerdict AuditLog::verify(const crypto::SecretKey* mac_key) {
  AuditVerdict v;
  v.strict = mac_key != nullptr;
  const auto bad = [&v](AuditFinding finding, std::int64_t seq, std::string problem) {
    v.intact = false;
    v.finding = finding;
    v.first_bad = seq;
    v.problem = std::move(problem);
    return v;
  };
  // The anchor read before the rows' snapshot starts: writers commit before they move the
  // anchor, so the anchor read is never ahead of the rows.
  ReadSnapshot snapshot(*db_);
  const AuditAnchor anchor = read_audit_anchor(db_->path().parent_path() / kAnchorFileName);
  const std::vector<AuditEntry> entries = list();
  v.entries = static_cast<std::int64_t>(entries.size());
  AuditHash expected = genesis();
  std::int64_t expected_seq = 1;
  bool previous_vouched = true;
  std::optional<AuditHash> hash_at_anchor;
  for (const AuditEntry& e : entries) {
    if (e.seq != expected_seq) {
      return bad(AuditFinding::kRemoved, expected_seq, range(expected_seq, e.seq - 1) + " removed");
    }
    if (e.sealed() && (!e.role.empty() || !e.actor.empty() || !e.details.empty())) {
      return bad(AuditFinding::kEdited, e.seq,
                 "entry " + n(e.seq) + " was edited: text was written beside its sealed text");
    }
    const AuditHash hash = entry_hash(e);
    const Bytes message = audit_codec::entry_message(hash);
    if (e.signature && !crypto::verify_signature(key_, message, *e.signature)) {
      return bad(AuditFinding::kEdited, e.seq,
                 "entry " + n(e.seq) + " was edited: its signature does not match");
    }
    if (!e.signature && e.mac && mac_key && !audit_codec::mac_matches(*mac_key, message, *e.mac)) {
      return bad(AuditFinding::kEdited, e.seq,
                 "entry " + n(e.seq) + " was edited: its MAC does not match");
    }
    if (e.prev_hash != expected) {
      if (!previous_vouched) {
        return bad(
            AuditFinding::kEdited, e.seq - 1,
            "entry " + n(e.seq - 1) + " was edited: the next entry's hash of it does not match");
      }
      return bad(AuditFinding::kReordered, e.seq,
                 "entry " + n(e.seq) + " does not follow entry " + n(e.seq - 1) +
                     ": entries were reordered or replaced");
    }
    const bool vouched = e.signature || e.mac;
    if (!vouched && v.strict && !keyless_action(e.action)) {
      return bad(AuditFinding::kForged, e.seq,
                 "entry " + n(e.seq) + " (" + e.action +
                     ") is forged: it carries neither the console's signature nor its MAC, so "
                     "no process holding a key wrote it");
    }
    if (e.action == "audit.head_missing") {
      return bad(AuditFinding::kTruncated, e.seq,
                 "before entry " + n(e.seq) +
                     " the log's head record was missing: entries may have been removed from "
                     "the end");
    }
    if (!e.signature && e.mac) ++v.unsigned_entries;
    if (!vouched) {
      if (keyless_action(e.action)) {
        ++v.unauthenticated_entries;
      } else {
        ++v.unsigned_entries;  // not judged without the key
      }
    }
    if (anchor.state == AuditAnchor::State::kPresent && e.seq == anchor.seq) hash_at_anchor = hash;
    previous_vouched = vouched;
    expected = hash;
    ++expected_seq;
  }
  const std::int64_t last = expected_seq - 1;

  // The anchor first: it names entries cut off the end even when the head row was rewritten.
  if (anchor.state == AuditAnchor::State::kDamaged) {
    return bad(AuditFinding::kEdited, last,
               "the anchor file " + std::string(kAnchorFileName) + " was edited: it is damaged");
  }
  if (anchor.state == AuditAnchor::State::kPresent) {
    const Bytes message = audit_codec::anchor_message(anchor.seq, anchor.hash);
    const bool signature_ok =
        anchor.signature && crypto::verify_signature(key_, message, *anchor.signature);
    const bool mac_ok =
        anchor.mac && mac_key && audit_codec::mac_matches(*mac_key, message, *anchor.mac);
    if ((anchor.signature && !signature_ok) || (anchor.mac && mac_key && !mac_ok)) {
      return bad(AuditFinding::kEdited, last,
                 "the anchor file " + std::string(kAnchorFileName) +
                     " was edited: its tag does not match");
    }
    if (signature_ok || mac_ok) {
      v.anchor_checked = true;
      if (anchor.seq > last) {
        return bad(AuditFinding::kTruncated, last + 1,
                   range(last + 1, anchor.seq) + " removed from the end (the anchor file " +
                       "records entry " + n(anchor.seq) + ")");
      }
      if (!hash_at_anchor || *hash_at_anchor != anchor.hash) {
        return bad(AuditFinding::kEdited, anchor.seq,
                   "entry " + n(anchor.seq) + " was replaced: it differs from the anchor file's");
      }
    }
  } else if (v.strict && last > 0) {
    return bad(AuditFinding::kTruncated, last,
               "the anchor file " + std::string(kAnchorFileName) +
                   " is missing: entries may have been removed from the end");
  }

  const std::optional<audit_codec::Head> head = audit_codec::read_head(*db_);
  if (!head) {
    if (last > 0) {
      return bad(AuditFinding::kTruncated, last,
                 "the log's head record is missing: entries may have been removed from the end");
    }
    return v;
  }
  const Bytes head_msg = audit_codec::head_message(head->seq, head->hash);
  if (head->signature && !crypto::verify_signature(key_, head_msg, *head->signature)) {
    return bad(AuditFinding::kEdited, head->seq,
               "the log's head record was edited: its signature does not match");
  }
  if (!head->signature && head->mac && mac_key &&
      !audit_codec::mac_matches(*mac_key, head_msg, *head->mac)) {
    return bad(AuditFinding::kEdited, head->seq,
               "the log's head record was edited: its MAC does not match");
  }
  if (head->seq > last) {
    return bad(AuditFinding::kTruncated, last + 1,
               range(last + 1, head->seq) + " removed from the end");
  }
  if (head->seq != last || head->hash != expected) {
    return bad(AuditFinding::kTruncated, last,
               "entry " + n(last) + " does not match the log's head record");
  }
  // Only a process holding no key writes a head without a tag, and only after an unlock
  // attempt; a bare head over a vouched entry was rewritten by someone else.
  if (v.strict && !head->signature && !head->mac && last > 0 && previous_vouched) {
    return bad(AuditFinding::kTruncated, last,
               "the log's head record was rewritten without the console's key after entry " +
                   n(last) + ": entries may have been removed from the end");
  }
  return v;
}

}  // namespace hotline::store
