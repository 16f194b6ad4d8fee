#pragma once
// Sealing and opening of transport packets (voice and control), per wire.hpp:
//   type(1) | receiver_index(LE32) | counter low 24 bits(LE24) | ChaCha20-Poly1305(plaintext)
// with the 8-byte header as associated data and nonce [type,0,0,0] || LE64(full counter).
// Nothing here allocates: these run for every voice packet.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"
#include "core/wire/wire.hpp"

namespace hotline::net {

struct TransportHeader {
  wire::MessageType type;
  std::uint32_t receiver_index;
  std::uint32_t counter_low;  // low 24 bits; ReplayWindow::reconstruct gives the full counter
};

// Largest plaintext that still fits one datagram.
inline constexpr std::size_t kMaxTransportPlaintext = wire::kMaxDatagram - wire::kTransportOverhead;

// nullopt unless the type is kVoice or kControl and the length is between
// wire::kTransportOverhead and wire::kMaxDatagram. Authenticates nothing.
std::optional<TransportHeader> parse_transport_header(ByteSpan packet);

// Writes the packet into `out` and returns its length (plaintext + 24). The plaintext may
// already sit at out[8..] (in-place sealing); no other overlap is allowed. Throws
// hotline::Error on misuse: a type other than kVoice/kControl, a counter at or beyond
// wire::kRejectAfterMessages, a plaintext over kMaxTransportPlaintext, or `out` too small.
std::size_t seal_transport(wire::MessageType type, std::uint32_t receiver_index,
                           std::uint64_t counter, const crypto::SecretKey& key, ByteSpan plaintext,
                           MutableByteSpan out);

// Authenticates and decrypts a packet whose full counter the caller reconstructed. On
// success writes packet.size() - 24 bytes to plaintext_out, sets plaintext_len and returns
// true. Returns false, writing nothing, if the header is malformed, full_counter does not
// match the header's low bits, plaintext_out is too small, or authentication fails.
bool open_transport(ByteSpan packet, std::uint64_t full_counter, const crypto::SecretKey& key,
                    MutableByteSpan plaintext_out, std::size_t& plaintext_len);

}  // namespace hotline::net
