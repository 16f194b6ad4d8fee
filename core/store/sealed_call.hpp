#pragma once
// One call record as it is stored: every field (peer, times, outcome, SAS, quality, note) in
// one XChaCha20-Poly1305 box under its epoch's key, bound to the row's id and epoch so a box
// moved to another row does not open. The plaintext is padded to a multiple of 64 bytes so
// the row's length says little about the names and notes in it. docs/records.md,
// "Sealed history".

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/crypto/secret.hpp"
#include "core/store/call_history.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

// A CallRecord's fields but its id, as read from an encoded record without copying: the texts
// point into the bytes read. A reader of many rows keeps these, not CallRecords.
struct CallFields {
  std::string_view peer_name;
  std::string_view peer_fingerprint;
  bool peer_verified = false;
  CallDirection direction = CallDirection::kOut;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> answered_at;
  std::optional<std::int64_t> ended_at;
  std::int64_t last_seen_at = 0;
  double duration_s = 0;
  std::optional<CallOutcome> outcome;
  std::string_view end_reason;
  std::string_view sas;
  bool sas_confirmed_local = false;
  bool sas_confirmed_remote = false;
  std::optional<CallQuality> quality;
  std::string_view note;
};

// The fields of `record` but its id, in a versioned binary form (docs/records.md).
Bytes encode_call(const CallRecord& record);
// nullopt for bytes that are not a record of a known version.
std::optional<CallRecord> decode_call(ByteSpan bytes);
std::optional<CallFields> read_call(ByteSpan bytes);  // the same, pointing into `bytes`
CallRecord to_record(const CallFields& fields, std::int64_t id);

Bytes seal_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                const CallRecord& record);
// nullopt when the box does not open (another key or row, or edited) or does not decode.
// The record's id is set to `id`.
std::optional<CallRecord> open_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                                    ByteSpan sealed);
// The same where the box lies (open_record_in_place), the fields pointing into it; a box that
// does not open is left unusable.
std::optional<CallFields> open_call_in_place(crypto::KeyView epoch_key, std::int64_t id,
                                             std::int64_t epoch, MutableByteSpan sealed);
// The fields of a box open_call_in_place opened, read again.
std::optional<CallFields> read_opened_call(ByteSpan opened_box);

}  // namespace hotline::store
