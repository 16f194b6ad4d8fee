#include "core/store/sealed_call.hpp"

#include <sodium.h>

#include <bit>
#include <cstring>
#include <string>

namespace hotline::store {
namespace {

constexpr std::uint8_t kCodecVersion = 1;
constexpr std::size_t kPadBlock = 64;
constexpr std::size_t kNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagLen = crypto_aead_xchacha20poly1305_ietf_ABYTES;
// A record longer than this is not one the console wrote (notes are short texts).
constexpr std::size_t kMaxPlaintext = 1 << 20;

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void i64(std::int64_t v) {
    const std::size_t at = out_.size();
    out_.resize(at + 8);
    store_le64(out_.data() + at, static_cast<std::uint64_t>(v));
  }
  void f64(double v) { i64(std::bit_cast<std::int64_t>(v)); }
  void text(std::string_view s) {
    i64(static_cast<std::int64_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void optional_i64(const std::optional<std::int64_t>& v) {
    u8(v.has_value());
    if (v) i64(*v);
  }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(ByteSpan in) : in_(in) {}
  bool ok() const { return ok_; }
  std::uint8_t u8() {
    if (!need(1)) return 0;
    return in_[at_++];
  }
  std::int64_t i64() {
    if (!need(8)) return 0;
    const auto v = static_cast<std::int64_t>(load_le64(in_.data() + at_));
    at_ += 8;
    return v;
  }
  double f64() { return std::bit_cast<double>(i64()); }
  bool flag() {
    const std::uint8_t v = u8();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  std::string text() {
    const std::int64_t n = i64();
    if (n < 0 || !need(static_cast<std::size_t>(n))) {
      ok_ = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(in_.data() + at_), static_cast<std::size_t>(n));
    at_ += static_cast<std::size_t>(n);
    return s;
  }
  std::optional<std::int64_t> optional_i64() {
    if (!flag()) return std::nullopt;
    return i64();
  }
  // Only zero padding may follow the record.
  bool rest_is_padding() const {
    for (std::size_t i = at_; i < in_.size(); ++i) {
      if (in_[i] != 0) return false;
    }
    return true;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() - at_ < n) ok_ = false;
    return ok_;
  }
  ByteSpan in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

Bytes row_context(std::int64_t id, std::int64_t epoch) {
  return label_and_le64("hotline-call/1", {id, epoch});
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

std::optional<CallRecord> decode_call(ByteSpan bytes) {
  Reader in(bytes);
  if (in.u8() != kCodecVersion) return std::nullopt;
  CallRecord r;
  r.peer_name = in.text();
  r.peer_fingerprint = in.text();
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
  r.end_reason = in.text();
  r.sas = in.text();
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
  r.note = in.text();
  if (!in.ok() || !in.rest_is_padding()) return std::nullopt;
  return r;
}

Bytes seal_call(const crypto::SecretKey& epoch_key, std::int64_t id, std::int64_t epoch,
                const CallRecord& record) {
  Bytes plain = encode_call(record);
  plain.resize((plain.size() + kPadBlock - 1) / kPadBlock * kPadBlock, 0);
  Bytes out(kNonceLen + plain.size() + kTagLen);
  randombytes_buf(out.data(), kNonceLen);
  const Bytes ad = row_context(id, epoch);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceLen, nullptr, plain.data(),
                                             plain.size(), ad.data(), ad.size(), nullptr,
                                             out.data(), epoch_key.data());
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::optional<CallRecord> open_call(const crypto::SecretKey& epoch_key, std::int64_t id,
                                    std::int64_t epoch, ByteSpan sealed) {
  if (sealed.size() < kNonceLen + kTagLen || sealed.size() - kNonceLen - kTagLen > kMaxPlaintext) {
    return std::nullopt;
  }
  Bytes plain(sealed.size() - kNonceLen - kTagLen);
  const Bytes ad = row_context(id, epoch);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), nullptr, nullptr, sealed.data() + kNonceLen, sealed.size() - kNonceLen,
          ad.data(), ad.size(), sealed.data(), epoch_key.data()) != 0) {
    return std::nullopt;
  }
  std::optional<CallRecord> record = decode_call(plain);
  sodium_memzero(plain.data(), plain.size());
  if (record) record->id = id;
  return record;
}

}  // namespace hotline::store
