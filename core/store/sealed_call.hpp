#pragma once
// One call record as it is stored: every field (peer, times, outcome, SAS, quality, note) in
// one XChaCha20-Poly1305 box under its epoch's key, bound to the row's id and epoch so a box
// moved to another row does not open. The plaintext is padded to a multiple of 64 bytes so
// the row's length says little about the names and notes in it. docs/records.md,
// "Sealed history".

#include <cstdint>
#include <optional>

#include "core/crypto/secret.hpp"
#include "core/store/call_history.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

// The fields of `record` but its id, in a versioned binary form (docs/records.md).
Bytes encode_call(const CallRecord& record);
// nullopt for bytes that are not a record of a known version.
std::optional<CallRecord> decode_call(ByteSpan bytes);

Bytes seal_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                const CallRecord& record);
// nullopt when the box does not open (another key or row, or edited) or does not decode.
// The record's id is set to `id`.
std::optional<CallRecord> open_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                                    ByteSpan sealed);

}  // namespace hotline::store
