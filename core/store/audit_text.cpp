#include "core/store/audit_text.hpp"

#include <sodium.h>

#include "core/store/history_keys.hpp"
#include "core/store/record_codec.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::uint8_t kUnderEpoch = 1;
constexpr std::uint8_t kToReaders = 2;
constexpr std::uint8_t kCodecVersion = 1;
constexpr std::size_t kPadBlock = 64;
// What one role's part of a kToReaders box is: its role, then the sealed padded plaintext.
constexpr std::size_t kRoleByte = 1;

Bytes text_context(std::int64_t seq, std::int64_t epoch) {
  return label_and_le64("hotline-audit-text/1", {seq, epoch});
}

// The seq goes inside as well: a kToReaders box has no associated data to bind it.
Bytes encode(std::int64_t seq, const AuditText& text) {
  Writer w;
  w.u8(kCodecVersion);
  w.i64(seq);
  w.text(text.role);
  w.text(text.actor);
  w.text(text.details);
  Bytes plain = w.take();
  plain.resize((plain.size() + kPadBlock - 1) / kPadBlock * kPadBlock, 0);
  return plain;
}

std::optional<AuditText> decode(std::int64_t seq, Bytes plain) {
  Reader in(plain);
  AuditText text;
  const bool known = in.u8() == kCodecVersion && in.i64() == seq;
  text.role = in.text();
  text.actor = in.text();
  text.details = in.text();
  const bool ok = known && in.ok() && in.rest_is_padding();
  sodium_memzero(plain.data(), plain.size());
  if (!ok) return std::nullopt;
  return text;
}

std::uint8_t role_byte(Role role) {
  return role == Role::kOperator ? 1 : role == Role::kAdministrator ? 2 : 0;
}

}  // namespace

Bytes seal_audit_text(crypto::KeyView epoch_key, std::int64_t seq, std::int64_t epoch,
                      const AuditText& text) {
  Bytes sealed = seal_record(epoch_key, text_context(seq, epoch), encode(seq, text));
  sealed.insert(sealed.begin(), kUnderEpoch);
  return sealed;
}

Bytes seal_audit_text_to(const std::vector<std::pair<Role, PublicKey>>& readers, std::int64_t seq,
                         const AuditText& text) {
  if (readers.empty()) throw Error("an audit entry's text needs a role to seal it to");
  Bytes plain = encode(seq, text);
  const std::size_t part = kRoleByte + crypto_box_SEALBYTES + plain.size();
  Bytes out{kToReaders, static_cast<std::uint8_t>(readers.size())};
  out.reserve(2 + readers.size() * part);
  for (const auto& [role, public_key] : readers) {
    const std::size_t at = out.size();
    out.resize(at + part);
    out[at] = role_byte(role);
    if (crypto_box_seal(out.data() + at + kRoleByte, plain.data(), plain.size(),
                        public_key.data()) != 0) {
      throw Error("cannot seal an audit entry's text");
    }
  }
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::optional<AuditText> open_audit_text(const HistoryKeyring& keyring, std::int64_t seq,
                                         std::int64_t epoch, ByteSpan box) {
  if (box.empty()) return std::nullopt;
  const ByteSpan body = box.subspan(1);
  if (box[0] == kUnderEpoch) {
    const std::optional<crypto::KeyView> key = keyring.key_of(epoch);
    if (!key) return std::nullopt;
    std::optional<Bytes> plain = open_record(*key, text_context(seq, epoch), body);
    if (!plain) return std::nullopt;
    return decode(seq, std::move(*plain));
  }
  if (box[0] != kToReaders || epoch != 0 || body.empty()) return std::nullopt;
  // A count, then that many parts of one size, each for one role.
  const std::size_t parts = body[0];
  const ByteSpan all = body.subspan(1);
  if (parts == 0 || all.size() % parts != 0) return std::nullopt;
  const std::size_t part = all.size() / parts;
  if (part <= kRoleByte + crypto_box_SEALBYTES) return std::nullopt;
  const HistoryReaderKey& reader = keyring.reader();
  for (std::size_t i = 0; i < parts; ++i) {
    const ByteSpan one = all.subspan(i * part, part);
    if (one[0] != role_byte(reader.role)) continue;
    Bytes plain(part - kRoleByte - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain.data(), one.data() + kRoleByte, part - kRoleByte,
                             reader.public_key.data(), reader.secret.data()) == 0) {
      return decode(seq, std::move(plain));
    }
  }
  return std::nullopt;
}

}  // namespace hotline::store
