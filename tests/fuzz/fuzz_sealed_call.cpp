// A call-history row as someone with the database file can write it: the sealed box
// (store::open_call under a fixed epoch key) and the record's encoding inside it
// (store::decode_call). Anything that decodes re-encodes to a record that decodes to itself;
// a box that opens re-seals to one that opens to the same record, and never under another
// row's id.

#include <cstdint>

#include "core/store/sealed_call.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {

constexpr std::int64_t kRow = 7;
constexpr std::int64_t kEpoch = 3;

void check_round_trip(const store::CallRecord& record) {
  const auto again = store::decode_call(store::encode_call(record));
  fuzz::require(again.has_value());
  store::CallRecord expected = record;
  expected.id = 0;  // the encoding leaves the id to the row
  // NaN durations or qualities compare unequal to themselves; compare their encodings.
  fuzz::require(store::encode_call(*again) == store::encode_call(expected));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan input(data, size);
  if (const auto record = store::decode_call(input)) check_round_trip(*record);

  static const crypto::SecretKey key = fuzz::fixed_key(fuzz::kHistoryKeyFill);
  if (const auto opened = store::open_call(key, kRow, kEpoch, input)) {
    fuzz::require(opened->id == kRow);
    check_round_trip(*opened);
    const Bytes resealed = store::seal_call(key, kRow, kEpoch, *opened);
    const auto reopened = store::open_call(key, kRow, kEpoch, resealed);
    fuzz::require(reopened.has_value());
    fuzz::require(store::encode_call(*reopened) == store::encode_call(*opened));
    fuzz::require(!store::open_call(key, kRow + 1, kEpoch, resealed));
    fuzz::require(!store::open_call(key, kRow, kEpoch + 1, resealed));
  }
  return 0;
}
