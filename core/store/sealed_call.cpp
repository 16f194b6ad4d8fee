#include "core/store/sealed_call.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "core/store/record_codec.hpp"

namespace hotline::store {
namespace {

constexpr std::uint8_t kCodecVersion = 1;

constexpr std::string_view kRowLabel = "hotline-call/1";

// label_and_le64(kRowLabel, {id, epoch}), on the stack: an unlock builds one per row.
std::array<std::uint8_t, kRowLabel.size() + 16> row_context(std::int64_t id, std::int64_t epoch) {
  std::array<std::uint8_t, kRowLabel.size() + 16> out{};
  std::copy(kRowLabel.begin(), kRowLabel.end(), out.begin());
  store_le64(out.data() + kRowLabel.size(), static_cast<std::uint64_t>(id));
  store_le64(out.data() + kRowLabel.size() + 8, static_cast<std::uint64_t>(epoch));
  return out;
}

}  // namespace

Bytes encode_call(const CallRecord& r) {
  Writer w;
  w.u8(kCodecVersion);
  w.text(r.peer_name);
  w.text(r.peer_fingerprint);
  w.u8(r.peer_verified);
  w.u8(r.direction == CallDirection::kIn);
  w.i64(r.started_at);
  w.optional_i64(r.answered_at);
  w.optional_i64(r.ended_at);
  w.i64(r.last_seen_at);
  w.f64(r.duration_s);
  w.u8(r.outcome ? static_cast<std::uint8_t>(static_cast<int>(*r.outcome) + 1) : 0);
  w.text(r.end_reason);
  w.text(r.sas);
  w.u8(r.sas_confirmed_local);
  w.u8(r.sas_confirmed_remote);
  w.u8(r.quality.has_value());
  if (r.quality) {
    w.f64(r.quality->mean_rtt_ms);
    w.f64(r.quality->loss_percent);
    w.f64(r.quality->jitter_ms);
    w.f64(r.quality->concealed_percent);
    w.i64(r.quality->fec_recovered);
    w.i64(r.quality->interruptions);
  }
  w.text(r.note);
  return w.take();
}

std::optional<CallFields> read_call(ByteSpan bytes) {
  Reader in(bytes);
  if (in.u8() != kCodecVersion) return std::nullopt;
  CallFields r;
  r.peer_name = in.text_view();
  r.peer_fingerprint = in.text_view();
  r.peer_verified = in.flag();
  r.direction = in.flag() ? CallDirection::kIn : CallDirection::kOut;
  r.started_at = in.i64();
  r.answered_at = in.optional_i64();
  r.ended_at = in.optional_i64();
  r.last_seen_at = in.i64();
  r.duration_s = in.f64();
  const std::uint8_t outcome = in.u8();
  if (outcome > kCallOutcomeCount) return std::nullopt;
  if (outcome > 0) r.outcome = static_cast<CallOutcome>(outcome - 1);
  r.end_reason = in.text_view();
  r.sas = in.text_view();
  r.sas_confirmed_local = in.flag();
  r.sas_confirmed_remote = in.flag();
  if (in.flag()) {
    CallQuality q;
    q.mean_rtt_ms = in.f64();
    q.loss_percent = in.f64();
    q.jitter_ms = in.f64();
    q.concealed_percent = in.f64();
    q.fec_recovered = in.i64();
    q.interruptions = in.i64();
    r.quality = q;
  }
  r.note = in.text_view();
  if (!in.ok() || !in.rest_is_padding()) return std::nullopt;
  return r;
}

CallRecord to_record(const CallFields& f, std::int64_t id) {
  CallRecord r;
  r.id = id;
  r.peer_name = f.peer_name;
  r.peer_fingerprint = f.peer_fingerprint;
  r.peer_verified = f.peer_verified;
  r.direction = f.direction;
  r.started_at = f.started_at;
  r.answered_at = f.answered_at;
  r.ended_at = f.ended_at;
  r.last_seen_at = f.last_seen_at;
  r.duration_s = f.duration_s;
  r.outcome = f.outcome;
  r.end_reason = f.end_reason;
  r.sas = f.sas;
  r.sas_confirmed_local = f.sas_confirmed_local;
  r.sas_confirmed_remote = f.sas_confirmed_remote;
  r.quality = f.quality;
  r.note = f.note;
  return r;
}

std::optional<CallRecord> decode_call(ByteSpan bytes) {
  const std::optional<CallFields> fields = read_call(bytes);
  if (!fields) return std::nullopt;
  return to_record(*fields, 0);
}

Bytes seal_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                const CallRecord& record) {
  return seal_record(epoch_key, row_context(id, epoch), encode_call(record));
}

std::optional<CallRecord> open_call(crypto::KeyView epoch_key, std::int64_t id, std::int64_t epoch,
                                    ByteSpan sealed) {
  if (sealed.size() < kSealedOverhead) return std::nullopt;
  // Most records are a few hundred bytes: opened on the stack, not the heap.
  std::array<std::uint8_t, 1024> small;
  Bytes large;
  std::span<std::uint8_t> plain;
  if (sealed.size() - kSealedOverhead <= small.size()) {
    plain = std::span(small).first(sealed.size() - kSealedOverhead);
  } else {
    large.resize(sealed.size() - kSealedOverhead);
    plain = large;
  }
  if (!open_record_into(epoch_key, row_context(id, epoch), sealed, plain)) return std::nullopt;
  std::optional<CallRecord> record = decode_call(plain);
  sodium_memzero(plain.data(), plain.size());
  if (record) record->id = id;
  return record;
}

std::optional<CallFields> open_call_in_place(crypto::KeyView epoch_key, std::int64_t id,
                                             std::int64_t epoch, MutableByteSpan sealed) {
  const std::optional<MutableByteSpan> plain =
      open_record_in_place(epoch_key, row_context(id, epoch), sealed);
  if (!plain) return std::nullopt;
  return read_call(*plain);
}

std::optional<CallFields> read_opened_call(ByteSpan opened_box) {
  return read_call(opened_record(opened_box));
}

}  // namespace hotline::store
