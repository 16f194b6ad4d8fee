#pragma once
// Every wire fact of the Hotline protocol in one place: message types, layouts, sizes and
// timers. docs/protocol.md describes the same facts section by section; keep them in step.
//
// All multi-byte integers on the wire are little-endian.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotline::wire {

using namespace std::chrono_literals;

// ---- Primitive sizes -------------------------------------------------------------------
inline constexpr std::size_t kKeyLen = 32;        // X25519 / ChaCha20 key
inline constexpr std::size_t kTagLen = 16;        // Poly1305 tag
inline constexpr std::size_t kHashLen = 64;       // BLAKE2b-512 (Noise HASHLEN)
inline constexpr std::size_t kMacLen = 16;        // mac1 (BLAKE2b-128)
inline constexpr std::size_t kTimestampLen = 12;  // TAI64N
inline constexpr std::size_t encrypted_len(std::size_t plain) {
  return plain + kTagLen;
}
// The Noise handshake hash h after the last message: the session's identity, and the input of
// the short authentication string (docs/protocol.md §2.3).
using HandshakeHash = std::array<std::uint8_t, kHashLen>;

// ---- Noise ------------------------------------------------------------------------------
// The zero-length prologue is replaced by this string so a Hotline handshake can never be
// confused with another Noise protocol using the same pattern.
inline constexpr std::string_view kNoiseProtocolName = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b";
// Version 2 chains re-keys to the call's first handshake (§8.1): a version 1 console would
// talk to it until the first re-key, so the two must not complete a handshake at all.
// Version 3 adds the initiation's purpose and mac2, and the cookie reply (§3.2, §3.4).
inline constexpr std::string_view kNoisePrologue = "hotline-console/3";
inline constexpr std::string_view kRekeyChainLabel = "hotline-rekey-chain/2";
inline constexpr std::string_view kRekeyPskLabel = "hotline-rekey-psk/2";
inline constexpr std::string_view kMac1Label = "mac1----";
inline constexpr std::string_view kCookieLabel = "cookie--";
inline constexpr std::string_view kSasLabel = "hotline-sas/2";
inline constexpr std::string_view kSasCommitmentLabel = "hotline-sas-commitment/2";
inline constexpr std::string_view kFingerprintLabel = "hotline-fingerprint/1";

// ---- Message types (first byte of every UDP datagram) -------------------------------------
enum class MessageType : std::uint8_t {
  kInitiation = 1,   // Noise message 1, initiator -> responder
  kResponse = 2,     // Noise message 2, responder -> initiator
  kCookieReply = 3,  // responder under load -> initiator: a cookie to put in mac2
  kVoice = 4,        // sealed Opus frame
  kControl = 5,      // sealed control message (padded to the voice packet size in a call)
};

// ---- Initiation: type | sender_index | e | enc(s) | enc(payload) | mac1 | mac2 -------------
// The encrypted payload is the TAI64N timestamp and the purpose byte.
enum class InitiationPurpose : std::uint8_t {
  kCall = 1,   // placing a call, or re-keying one
  kProbe = 2,  // a line-status probe (§6.9): no call follows
};
inline constexpr std::size_t kInitiationPayloadLen = kTimestampLen + 1;  // 13
inline constexpr std::size_t kInitiationSenderOffset = 1;
inline constexpr std::size_t kInitiationNoiseOffset = 5;
inline constexpr std::size_t kInitiationNoiseLen =
    kKeyLen + encrypted_len(kKeyLen) + encrypted_len(kInitiationPayloadLen);  // 109
inline constexpr std::size_t kInitiationMacOffset = kInitiationNoiseOffset + kInitiationNoiseLen;
inline constexpr std::size_t kInitiationMac2Offset = kInitiationMacOffset + kMacLen;
inline constexpr std::size_t kInitiationLen = kInitiationMac2Offset + kMacLen;  // 146

// ---- Cookie reply: type | 3 zero bytes | receiver_index | nonce | enc(cookie) ----------------
inline constexpr std::size_t kCookieLen = 16;
inline constexpr std::size_t kCookieNonceLen = 24;  // XChaCha20-Poly1305
inline constexpr std::size_t kCookieReceiverOffset = 4;
inline constexpr std::size_t kCookieNonceOffset = 8;
inline constexpr std::size_t kCookieSealedOffset = kCookieNonceOffset + kCookieNonceLen;
inline constexpr std::size_t kCookieReplyLen =
    kCookieSealedOffset + encrypted_len(kCookieLen);  // 64
// The responder's secret behind its cookies is replaced this often; an initiator uses a cookie
// for a little less, so it never sends one its responder no longer accepts.
inline constexpr auto kCookieSecretLifetime = std::chrono::seconds(120);
inline constexpr auto kCookieUsableFor = std::chrono::seconds(110);

// ---- Response: type | sender_index | receiver_index | e | enc(empty) | mac1 -----------------
inline constexpr std::size_t kResponseSenderOffset = 1;
inline constexpr std::size_t kResponseReceiverOffset = 5;
inline constexpr std::size_t kResponseNoiseOffset = 9;
inline constexpr std::size_t kResponseNoiseLen = kKeyLen + encrypted_len(0);  // 48
inline constexpr std::size_t kResponseMacOffset = kResponseNoiseOffset + kResponseNoiseLen;
inline constexpr std::size_t kResponseLen = kResponseMacOffset + kMacLen;  // 73

// ---- Transport (voice and control): type | receiver_index | counter (low 24 bits) | AEAD ----
// The AEAD nonce is 4 bytes [type, 0, 0, 0] followed by the full 64-bit counter, so voice and
// control keep separate counter spaces under one key. The 8-byte header is the associated data.
inline constexpr std::size_t kTransportReceiverOffset = 1;
inline constexpr std::size_t kTransportCounterOffset = 5;
inline constexpr std::size_t kTransportCounterBytes = 3;
inline constexpr std::size_t kTransportHeaderLen = 8;
inline constexpr std::size_t kTransportOverhead = kTransportHeaderLen + kTagLen;  // 24
inline constexpr std::uint64_t kCounterLowMask = (1u << (8 * kTransportCounterBytes)) - 1;
static_assert(kTransportOverhead <= 24, "issue budget: at most 24 bytes above the Opus payload");

// Anti-replay window (RFC 6479): bits remembered behind the highest authenticated counter.
inline constexpr std::size_t kReplayWindowBits = 2048;
// Counters must never come near the point where the 24 low bits become ambiguous.
inline constexpr std::uint64_t kRejectAfterMessages = (1ull << 60);

inline constexpr std::size_t kMaxDatagram = 1400;    // never fragment on a 1500-byte path
inline constexpr std::size_t kMaxOpusPayload = 400;  // 64 kb/s at 20 ms is 160 bytes

// ---- Control messages (plaintext inside a kControl packet) ----------------------------------
// kind | msg_id | call_id | body_len | body | zero padding
enum class ControlKind : std::uint8_t {
  kAck = 1,
  kCallRequest = 2,
  kRinging = 3,
  kAnswer = 4,
  kDecline = 5,
  kBusy = 6,
  kHangup = 7,
  kCancel = 8,
  kReceiverReport = 9,
  kKeepalive = 10,
  kPing = 11,
  kPong = 12,
  kSasConfirmed = 13,  // this side's official read the same SAS words as the other
  kSasReveal = 14,     // caller -> callee: the SAS nonce its CallRequest committed to (§2.3)
};
// Retransmitted until acknowledged (§5.5); the others are sent once.
constexpr bool is_reliable(ControlKind kind) {
  switch (kind) {
    case ControlKind::kCallRequest:
    case ControlKind::kRinging:
    case ControlKind::kAnswer:
    case ControlKind::kDecline:
    case ControlKind::kBusy:
    case ControlKind::kHangup:
    case ControlKind::kCancel:
    case ControlKind::kSasConfirmed:
    case ControlKind::kSasReveal:
      return true;
    default:
      return false;
  }
}
// Reliable (call_id, msg_id) pairs a receiver remembers, to act on a retransmission only once.
inline constexpr std::size_t kRememberedControlIds = 64;
inline constexpr std::size_t kControlHeaderLen = 1 + 4 + 8 + 2;  // 15
// Control plaintext is padded to the voice plaintext (the CBR Opus frame) so that both look the
// same on the wire; the largest control message (a CallRequest) needs 37 bytes, hence the codec
// floor below.
inline constexpr std::size_t kMinControlPlaintext = 40;
// Smallest CBR Opus frame a call may use: bitrate * frame_ms / 8000 >= kMinControlPlaintext.
inline constexpr int kMinBitsPerFrame = 8 * static_cast<int>(kMinControlPlaintext);

// ---- SAS commitment (§2.3) --------------------------------------------------------------
// Each side adds a random nonce to the SAS; the caller commits to its own in the CallRequest
// and reveals it only after the callee's nonce (in Ringing) is on record. 128-bit nonces and
// a 128-bit commitment keep the CallRequest inside kMinControlPlaintext.
inline constexpr std::size_t kSasNonceLen = 16;
inline constexpr std::size_t kSasCommitmentLen = 16;
using SasNonce = std::array<std::uint8_t, kSasNonceLen>;
using SasCommitment = std::array<std::uint8_t, kSasCommitmentLen>;
// ---- Call options (CallRequest body, §5.4) ---------------------------------------------
inline constexpr int kFrameMsShort = 10;
inline constexpr int kFrameMsLong = 20;
inline constexpr int kMinBitrate = 16000;  // Opus CBR bits per second
inline constexpr int kMaxBitrate = 64000;
inline constexpr std::size_t opus_frame_bytes(int frame_ms, int bitrate) {
  return static_cast<std::size_t>(bitrate) * static_cast<std::size_t>(frame_ms) / 8000;
}
// The one rule for a call's codec options, wherever they are chosen, sent or received: 10 or
// 20 ms frames, a bitrate in range, and frames no smaller than the largest control message
// (so 10 ms frames need 32 kb/s or more).
constexpr bool valid_call_options(int frame_ms, int bitrate) {
  return (frame_ms == kFrameMsShort || frame_ms == kFrameMsLong) && bitrate >= kMinBitrate &&
         bitrate <= kMaxBitrate &&
         static_cast<long long>(bitrate) * frame_ms >= kMinBitsPerFrame * 1000LL;
}
static_assert(opus_frame_bytes(kFrameMsLong, kMaxBitrate) <= kMaxOpusPayload);

// ---- Timers ------------------------------------------------------------------------------
inline constexpr auto kHandshakeRetry = 1000ms;        // new initiation while no response
inline constexpr auto kUnreachableAfter = 4000ms;      // give up placing a call
inline constexpr auto kControlRetransmit = 200ms;      // until acknowledged
inline constexpr auto kControlGiveUp = 10000ms;        // an unacknowledged message ends the call
inline constexpr auto kKeepaliveInterval = 200ms;      // when no voice flows (ringing)
inline constexpr auto kLinkInterruptedAfter = 700ms;   // silence from the peer: show interrupted
inline constexpr auto kConnectionLostAfter = 10000ms;  // silence from the peer: end the call
inline constexpr auto kRingTimeout = 45000ms;          // caller: no answer
inline constexpr auto kRekeyAfter = 120000ms;          // caller starts a new handshake
inline constexpr auto kRejectAfter = 180000ms;         // keys older than this are refused
inline constexpr auto kPreviousKeysKept = 10000ms;     // old keys open late packets, then wiped
inline constexpr auto kReceiverReportInterval = 1000ms;
inline constexpr auto kIdleAssociationKept = 3000ms;  // per-peer state without a call (§6.1)
// An initiation dated further ahead of the responder's clock is refused (§3.5): the longest a
// peer whose clock ran ahead, or a stored timestamp from such a run, can lock its own later
// calls out. Consoles keep their clocks within a second or so of each other (NTP); a minute
// leaves room for one that has drifted without it.
inline constexpr auto kMaxInitiationAhead = std::chrono::seconds(60);
// kLinkInterruptedAfter is 35 voice frames (3.5 keepalive intervals while ringing): a peer gone
// dead is shown within 1 s of its last packet, the engine tick and event delivery included.

// ---- Rate limits on initiations -----------------------------------------------------------
inline constexpr double kInitiationsPerSecondPerSource = 10.0;
inline constexpr double kInitiationBurstPerSource = 10.0;
inline constexpr double kInitiationsPerSecondPerPeer = 5.0;
inline constexpr double kInitiationBurstPerPeer = 5.0;
// Load (§3.7): more initiations with a valid mac1 than this, from all sources together, put
// the responder under load for kUnderLoadFor after the last one over it; under load it answers
// an initiation without a valid mac2 with a cookie reply instead of a Noise read.
inline constexpr double kInitiationsPerSecondBeforeLoad = 20.0;
inline constexpr double kInitiationBurstBeforeLoad = 40.0;
inline constexpr auto kUnderLoadFor = std::chrono::seconds(1);
// The global budget of Noise reads of initiations, whatever their source: bounds the
// Diffie-Hellman work the voice thread can be made to do (about 5 X25519 operations each).
inline constexpr double kHandshakesPerSecond = 50.0;
inline constexpr double kHandshakeBurst = 50.0;
// Responses that fail the Noise read, per initiation: past this, further ones are dropped
// before it. Only a party that saw the initiation (its index) can make them pass mac1 and
// the index check; without the bound each would cost two X25519 operations on the voice
// thread. The genuine response is the first to come unless someone on the path races it.
inline constexpr int kMaxFailedResponseReads = 4;
// New incoming calls a callee accepts from one peer (docs/protocol.md §6.3). Each call is one
// fresh try at matching a man in the middle's SAS with the caller's (§2.3), so this bounds the
// tries within one ring to kIncomingCallBurstPerPeer + 45 s x the rate: about 12.
inline constexpr double kIncomingCallsPerSecondPerPeer = 1.0 / 6.0;
inline constexpr double kIncomingCallBurstPerPeer = 5.0;

}  // namespace hotline::wire
