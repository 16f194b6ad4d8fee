#include "core/net/control_message.hpp"

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <optional>

#include "core/util/error.hpp"

using hotline::Bytes;
using namespace hotline::net;
namespace wire = hotline::wire;
using Kind = wire::ControlKind;

namespace {

constexpr std::size_t kVoicePlaintext = 80;  // a 20 ms Opus frame at 32 kb/s

ControlMessage message(Kind kind, Bytes body = {}) {
  return ControlMessage{kind, 0x01020304, 0x1122334455667788ULL, std::move(body)};
}

ControlMessage round_trip(const ControlMessage& original) {
  const Bytes encoded = encode_control(original, kVoicePlaintext);
  REQUIRE(encoded.size() == kVoicePlaintext);
  const auto decoded = decode_control(encoded);
  REQUIRE(decoded);
  CHECK(*decoded == original);
  CHECK(has_valid_body(*decoded));
  return *decoded;
}

}  // namespace

TEST_CASE("control header layout", "[control]") {
  const Bytes encoded = encode_control(message(Kind::kPing, encode_ping({0xabcdef})), 64);
  REQUIRE(encoded.size() == 64);
  CHECK(encoded[0] == static_cast<std::uint8_t>(Kind::kPing));
  CHECK(hotline::load_le32(&encoded[1]) == 0x01020304);
  CHECK(hotline::load_le64(&encoded[5]) == 0x1122334455667788ULL);
  CHECK(hotline::load_le16(&encoded[13]) == 8);
  CHECK(hotline::load_le64(&encoded[15]) == 0xabcdef);
  for (std::size_t i = 23; i < encoded.size(); ++i) CHECK(encoded[i] == 0);
}

TEST_CASE("control round trip of every kind", "[control]") {
  SECTION("ack") {
    const auto decoded = round_trip(message(Kind::kAck, encode_ack({0xfeedface})));
    CHECK(decode_ack(decoded.body) == AckBody{0xfeedface});
  }
  SECTION("call request") {
    const CallRequestBody request{
        20, 32000, 0, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
    const auto decoded = round_trip(message(Kind::kCallRequest, encode_call_request(request)));
    CHECK(decode_call_request(decoded.body) == request);
    // The commitment follows the codec fields byte for byte.
    CHECK(decoded.body.size() == 22);
    CHECK(decoded.body[6] == 1);
    CHECK(decoded.body[21] == 16);
    const CallRequestBody short_frames{10, 32000, 0, {}};
    CHECK(decode_call_request(encode_call_request(short_frames)) == short_frames);
  }
  SECTION("bodiless kinds") {
    for (const Kind kind : {Kind::kAnswer, Kind::kDecline, Kind::kBusy, Kind::kCancel,
                            Kind::kKeepalive, Kind::kSasConfirmed}) {
      const auto decoded = round_trip(message(kind));
      CHECK(decoded.body.empty());
    }
  }
  SECTION("ringing and SAS reveal carry a SAS nonce") {
    const wire::SasNonce nonce{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
    for (const Kind kind : {Kind::kRinging, Kind::kSasReveal}) {
      const auto decoded = round_trip(message(kind, encode_sas_nonce(nonce)));
      CHECK(decode_sas_nonce(decoded.body) == nonce);
      // Without its nonce, or with a longer body, the message is refused before it is acked.
      CHECK_FALSE(has_valid_body(message(kind)));
      CHECK_FALSE(has_valid_body(message(kind, Bytes(wire::kSasNonceLen + 1))));
    }
  }
  SECTION("hangup") {
    for (const HangupReason reason : {HangupReason::kNormal, HangupReason::kConnectionLost,
                                      HangupReason::kError, HangupReason::kInterceptionSuspected}) {
      const auto decoded = round_trip(message(Kind::kHangup, encode_hangup({reason})));
      CHECK(decode_hangup(decoded.body) == HangupBody{reason});
    }
  }
  SECTION("receiver report") {
    const ReceiverReportBody report{0x0102030405060708ULL, 1234, 200, 15000, 987654};
    const auto decoded = round_trip(message(Kind::kReceiverReport, encode_receiver_report(report)));
    CHECK(decoded.body.size() == kReceiverReportBodyLen);
    CHECK(decode_receiver_report(decoded.body) == report);
  }
  SECTION("ping and pong") {
    const auto ping = round_trip(message(Kind::kPing, encode_ping({0x8000000000000001ULL})));
    CHECK(decode_ping(ping.body) == PingBody{0x8000000000000001ULL});
    const auto pong = round_trip(message(Kind::kPong, encode_pong({42})));
    CHECK(decode_pong(pong.body) == PongBody{42});
  }
}

TEST_CASE("control padding gives the exact requested size", "[control]") {
  const ControlMessage ack = message(Kind::kAck, encode_ack({1}));
  CHECK(encode_control(ack, 80).size() == 80);
  CHECK(encode_control(ack, 104).size() == 104);
  CHECK(encode_control(ack, kMaxControlPlaintext).size() == kMaxControlPlaintext);
  // Never below the minimum, even outside a call.
  CHECK(encode_control(ack, wire::kMinControlPlaintext - 1).size() == wire::kMinControlPlaintext);
  CHECK(encode_control(ack, 0).size() == wire::kMinControlPlaintext);
  CHECK(encode_control(ack, 20).size() == wire::kMinControlPlaintext);
  // The largest messages of the protocol still fit the minimum.
  const ControlMessage report =
      message(Kind::kReceiverReport, encode_receiver_report({1, 2, 3, 4, 5}));
  CHECK(encode_control(report, 0).size() == wire::kMinControlPlaintext);
  const ControlMessage request =
      message(Kind::kCallRequest, encode_call_request({20, 16000, 0, {}}));
  CHECK(encode_control(request, 0).size() == wire::kMinControlPlaintext);
  // A body larger than the requested size is sent whole.
  const ControlMessage big = message(Kind::kAck, Bytes(100, 1));
  CHECK(encode_control(big, 80).size() == wire::kControlHeaderLen + 100);
}

TEST_CASE("control encoder refuses what cannot fit a datagram", "[control]") {
  CHECK_THROWS_AS(encode_control(message(Kind::kAck, Bytes(kMaxControlBody + 1)), 0),
                  hotline::Error);
  CHECK_THROWS_AS(encode_control(message(Kind::kAck), kMaxControlPlaintext + 1), hotline::Error);
  CHECK(encode_control(message(Kind::kAck, Bytes(kMaxControlBody)), 0).size() ==
        kMaxControlPlaintext);
}

TEST_CASE("control decoder rejects nonzero padding", "[control]") {
  const Bytes encoded = encode_control(message(Kind::kKeepalive), kVoicePlaintext);
  REQUIRE(decode_control(encoded));
  for (std::size_t i = wire::kControlHeaderLen; i < encoded.size(); ++i) {
    Bytes tampered = encoded;
    tampered[i] = 0x01;
    INFO("byte " << i);
    CHECK_FALSE(decode_control(tampered));
  }
}

TEST_CASE("control decoder rejects truncated messages", "[control]") {
  const Bytes encoded = encode_control(message(Kind::kAck, encode_ack({7})), 0);
  REQUIRE(encoded.size() == wire::kMinControlPlaintext);
  for (std::size_t len = 0; len < encoded.size(); ++len) {
    CHECK_FALSE(decode_control(hotline::ByteSpan(encoded.data(), len)));
  }
  SECTION("body_len past the end") {
    Bytes overrun = encoded;
    const std::size_t room = encoded.size() - wire::kControlHeaderLen;
    hotline::store_le16(&overrun[13], static_cast<std::uint16_t>(room + 1));
    CHECK_FALSE(decode_control(overrun));
    hotline::store_le16(&overrun[13], 0xffff);
    CHECK_FALSE(decode_control(overrun));
    hotline::store_le16(&overrun[13], static_cast<std::uint16_t>(room));
    CHECK(decode_control(overrun));  // the whole tail as body is legal framing
  }
  SECTION("longer than a datagram allows") {
    CHECK_FALSE(decode_control(Bytes(kMaxControlPlaintext + 1, 0)));
  }
}

TEST_CASE("control decoder rejects unknown kinds", "[control]") {
  Bytes encoded = encode_control(message(Kind::kKeepalive), 0);
  for (const int kind : {0, 15, 16, 100, 255}) {
    encoded[0] = static_cast<std::uint8_t>(kind);
    CHECK_FALSE(decode_control(encoded));
  }
  for (std::uint8_t kind = 1; kind <= 14; ++kind) {
    encoded[0] = kind;
    CHECK(decode_control(encoded));
  }
}

TEST_CASE("call request field ranges", "[control]") {
  const auto body = [](std::uint8_t frame_ms, std::uint32_t bitrate, std::uint8_t flags) {
    // The commitment (bytes 6..21) can hold any value.
    Bytes out(kCallRequestBodyLen);
    out[0] = frame_ms;
    hotline::store_le32(&out[1], bitrate);
    out[5] = flags;
    return out;
  };
  CHECK(decode_call_request(body(20, 16000, 0)));
  CHECK(decode_call_request(body(20, 64000, 0)));
  CHECK(decode_call_request(body(10, 64000, 0)));
  // 10 ms frames at 16..31 kb/s would be smaller than the largest control message.
  CHECK(decode_call_request(body(10, 32000, 0)));
  CHECK_FALSE(decode_call_request(body(10, 31999, 0)));
  CHECK_FALSE(decode_call_request(body(10, 16000, 0)));
  for (const int frame_ms : {0, 5, 15, 30, 40, 60, 255}) {
    CHECK_FALSE(decode_call_request(body(static_cast<std::uint8_t>(frame_ms), 32000, 0)));
  }
  for (const std::uint32_t bitrate : {0u, 15999u, 64001u, 0xffffffffu}) {
    CHECK_FALSE(decode_call_request(body(20, bitrate, 0)));
  }
  CHECK_FALSE(decode_call_request(body(20, 32000, 1)));
  CHECK_THROWS_AS(encode_call_request({30, 32000, 0, {}}), hotline::Error);
  CHECK_THROWS_AS(encode_call_request({20, 8000, 0, {}}), hotline::Error);
  CHECK_THROWS_AS(encode_call_request({20, 32000, 0x80, {}}), hotline::Error);
  CHECK_THROWS_AS(encode_call_request({10, 16000, 0, {}}), hotline::Error);
}

TEST_CASE("typed bodies require their exact length and valid values", "[control]") {
  CHECK_FALSE(decode_ack(Bytes(3)));
  CHECK_FALSE(decode_ack(Bytes(5)));
  CHECK_FALSE(decode_call_request(Bytes(6)));  // a version 1 request: no commitment
  CHECK_FALSE(decode_call_request(Bytes(kCallRequestBodyLen - 1)));
  CHECK_FALSE(decode_call_request(Bytes(kCallRequestBodyLen + 1)));
  CHECK_FALSE(decode_hangup(Bytes{}));
  CHECK_FALSE(decode_hangup(Bytes{1, 0}));
  CHECK_FALSE(decode_hangup(Bytes{0}));
  CHECK_FALSE(decode_hangup(Bytes{5}));
  CHECK_THROWS_AS(encode_hangup({static_cast<HangupReason>(9)}), hotline::Error);
  // ... but a receiver acts on every Hangup, whatever its body (the call ends, it is acked).
  for (const Bytes& body : {Bytes{}, Bytes{0}, Bytes{5}, Bytes{9}, Bytes{1, 0}}) {
    CHECK(has_valid_body(ControlMessage{Kind::kHangup, 1, 7, body}));
  }
  CHECK_FALSE(decode_receiver_report(Bytes(kReceiverReportBodyLen - 1)));
  CHECK_FALSE(decode_receiver_report(Bytes(kReceiverReportBodyLen + 1)));
  CHECK_FALSE(decode_ping(Bytes(7)));
  CHECK_FALSE(decode_pong(Bytes(9)));

  CHECK_FALSE(has_valid_body(message(Kind::kRinging, Bytes{0})));
  CHECK_FALSE(has_valid_body(message(Kind::kAck)));
  CHECK(has_valid_body(message(Kind::kHangup, Bytes{7})));  // a hang-up is never refused
  CHECK(has_valid_body(message(Kind::kHangup, Bytes{2})));
}

TEST_CASE("a padded control packet is the size of a voice packet", "[control]") {
  const hotline::crypto::SecretKey key = [] {
    hotline::crypto::SecretKey k;
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  const Bytes plaintext = encode_control(message(Kind::kKeepalive), kVoicePlaintext);
  Bytes packet(wire::kMaxDatagram);
  const std::size_t len = seal_transport(wire::MessageType::kControl, 1, 0, key, plaintext, packet);
  CHECK(len == kVoicePlaintext + wire::kTransportOverhead);
}
