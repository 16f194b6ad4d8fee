// Control plaintexts as the engine has them after open_transport. Every typed decoder also runs
// on the raw input, so it meets every length, not just what decode_control lets through.
// Round trips: each decoder demands the exact body length and valid fields, so a body has one
// encoding (encode(decode(b)) == b, decode(encode(x)) == x); encode_control at the plaintext's
// own size must reproduce a decoded plaintext byte for byte, padding included.

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/net/control_message.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {

template <typename Body>
bool round_trips(ByteSpan bytes, std::optional<Body> (*decode)(ByteSpan),
                 Bytes (*encode)(const Body&)) {
  const std::optional<Body> body = decode(bytes);
  if (!body) return false;
  const Bytes again = encode(*body);  // throws (uncaught: a finding) if decode let junk through
  fuzz::require(std::equal(bytes.begin(), bytes.end(), again.begin(), again.end()));
  fuzz::require(decode(again) == body);
  return true;
}

// Runs every body decoder; true when the one for `kind` accepts the bytes.
bool body_ok(wire::ControlKind kind, ByteSpan bytes) {
  const bool ack = round_trips(bytes, net::decode_ack, net::encode_ack);
  const bool request = round_trips(bytes, net::decode_call_request, net::encode_call_request);
  const bool hangup = round_trips(bytes, net::decode_hangup, net::encode_hangup);
  const bool report = round_trips(bytes, net::decode_receiver_report, net::encode_receiver_report);
  const bool ping = round_trips(bytes, net::decode_ping, net::encode_ping);
  const bool pong = round_trips(bytes, net::decode_pong, net::encode_pong);
  const bool nonce = round_trips(bytes, net::decode_sas_nonce, net::encode_sas_nonce);
  switch (kind) {
    case wire::ControlKind::kAck:
      return ack;
    case wire::ControlKind::kCallRequest:
      return request;
    case wire::ControlKind::kHangup:
      // The decoder stays strict (it round-trips only the reasons 1-3), but a receiver acts
      // on every Hangup whatever its body (docs/protocol.md §5.4).
      (void)hangup;
      return true;
    case wire::ControlKind::kReceiverReport:
      return report;
    case wire::ControlKind::kPing:
      return ping;
    case wire::ControlKind::kPong:
      return pong;
    case wire::ControlKind::kRinging:
    case wire::ControlKind::kSasReveal:
      return nonce;
    default:  // the bodiless kinds
      return bytes.empty();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan input(data, size);
  (void)body_ok(wire::ControlKind::kAck, input);
  const auto message = net::decode_control(input);
  if (!message) return 0;
  fuzz::require(net::has_valid_body(*message) == body_ok(message->kind, message->body));
  const Bytes again = net::encode_control(*message, input.size());
  fuzz::require(std::equal(input.begin(), input.end(), again.begin(), again.end()));
  fuzz::require(net::decode_control(again) == message);
  return 0;
}
