// Writes the seed corpus: small valid inputs for every fuzz target, made with the core's own
// writers so each seed starts the fuzzer on a path that gets through the parser.
// Usage: make_seeds <corpus dir> (then tests/fuzz/corpus/<target>/<name>).

#include <sodium.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "core/admin/administration.hpp"
#include "core/audio/wav.hpp"
#include "core/crypto/identity.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/identity/key_file.hpp"
#include "core/identity/peer_card.hpp"
#include "core/net/control_message.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/net/transport.hpp"
#include "core/store/sealed_call.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;
namespace fs = std::filesystem;

namespace {

fs::path g_root;

void put(const std::string& target, const std::string& name, ByteSpan bytes) {
  fs::create_directories(g_root / target);
  std::ofstream out(g_root / target / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("cannot write seed " + target + "/" + name);
}
void put(const std::string& target, const std::string& name, std::string_view text) {
  put(target, name, as_bytes(text));
}

Bytes pattern(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return out;
}

// ---- fuzz_transport: script_len | script | packet ------------------------------------------

Bytes step(std::uint8_t op, std::uint32_t low24) {
  Bytes out(4);
  out[0] = op;
  store_le24(out.data() + 1, low24);
  return out;
}

void transport_seed(const std::string& name, const Bytes& script, wire::MessageType type,
                    std::uint64_t counter, ByteSpan plaintext) {
  static const crypto::SecretKey key = fuzz::fixed_key(fuzz::kTransportKeyFill);
  Bytes packet(plaintext.size() + wire::kTransportOverhead);
  packet.resize(net::seal_transport(type, fuzz::kResponderIndex, counter, key, plaintext, packet));
  Bytes seed{static_cast<std::uint8_t>(script.size())};
  seed.insert(seed.end(), script.begin(), script.end());
  seed.insert(seed.end(), packet.begin(), packet.end());
  put("fuzz_transport", name, seed);
}

void transport_seeds() {
  using wire::MessageType;
  const Bytes ping = net::encode_control({wire::ControlKind::kPing, 1, 42, net::encode_ping({7})},
                                         wire::kMinControlPlaintext);
  transport_seed("voice-counter-5", {}, MessageType::kVoice, 5, pattern(160));
  transport_seed("voice-empty", {}, MessageType::kVoice, 1, {});
  transport_seed("voice-max-size", {}, MessageType::kVoice, 9,
                 pattern(net::kMaxTransportPlaintext));
  transport_seed("control-ping", {}, MessageType::kControl, 0, ping);
  // The window sits just below 2^24, so counter low bits 7 reconstruct to 2^24 + 7.
  transport_seed("voice-wrapped", step(0x00, 0xFFFFF0), MessageType::kVoice, (1ull << 24) + 7,
                 pattern(40));
  // A jump to 63 << 54, just under wire::kRejectAfterMessages.
  transport_seed("control-near-limit", step(0x80 | 63, 1), MessageType::kControl,
                 (63ull << 54) + 0x10, ping);
  Bytes replays = step(0x00, 5);
  for (std::uint32_t c : {3u, 3u, 2100u})
    replays.insert(replays.end(),
                   {0, static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(c >> 8), 0});
  transport_seed("voice-replayed", replays, MessageType::kVoice, 5, pattern(80));
}

// ---- fuzz_control_message: every kind with a valid body ----------------------------------

void control_seeds() {
  using K = wire::ControlKind;
  const net::ReceiverReportBody report{123456, 17, 12, 2500, 99000};
  const std::vector<std::pair<K, Bytes>> messages = {
      {K::kAck, net::encode_ack({77})},
      {K::kCallRequest, net::encode_call_request({wire::kFrameMsLong, 32000, 0, {7, 7, 7}})},
      {K::kRinging, net::encode_sas_nonce({1, 2, 3, 4})},
      {K::kAnswer, {}},
      {K::kDecline, {}},
      {K::kBusy, {}},
      {K::kHangup, net::encode_hangup({net::HangupReason::kConnectionLost})},
      {K::kCancel, {}},
      {K::kReceiverReport, net::encode_receiver_report(report)},
      {K::kKeepalive, {}},
      {K::kPing, net::encode_ping({1'000'000})},
      {K::kPong, net::encode_pong({1'000'000})},
      {K::kSasConfirmed, {}},
      {K::kSasReveal, net::encode_sas_nonce({5, 6, 7, 8})},
  };
  for (const auto& [kind, body] : messages) {
    const auto n = static_cast<unsigned>(kind);
    const net::ControlMessage message{kind, 100 + n, 0x1122334455667788ull, body};
    put("fuzz_control_message", "kind-" + std::to_string(n),
        net::encode_control(message, wire::kMinControlPlaintext));
  }
  // Padded to a 64 kb/s 20 ms voice frame, as in a call.
  const net::ControlMessage request{K::kCallRequest, 1, 9,
                                    net::encode_call_request({wire::kFrameMsShort, 64000, 0, {}})};
  put("fuzz_control_message", "call-request-padded-160", net::encode_control(request, 160));
}

// ---- fuzz_handshake_*: a real initiation to the fixed responder ---------------------------

void handshake_seeds() {
  const auto responder = crypto::Identity::from_seed(fuzz::fixed_key(fuzz::kResponderSeedFill));
  const crypto::SecretKey psk = fuzz::fixed_key(fuzz::kPskFill);
  for (const std::uint8_t fill : {fuzz::kInitiatorSeedFill, std::uint8_t{0x55}}) {
    const auto initiator = crypto::Identity::from_seed(fuzz::fixed_key(fill));
    net::PendingInitiation pending;
    const Bytes initiation =
        net::build_initiation(initiator, responder.dh_public(), psk, fuzz::kInitiatorIndex + fill,
                              crypto::tai64n_from_unix(fuzz::kTimestampSeconds + fill, 0),
                              wire::InitiationPurpose::kCall, std::nullopt, pending);
    put("fuzz_handshake_responder",
        "initiation-from-" + to_hex(initiator.public_key()).substr(0, 8), initiation);
  }
  // The initiator target XORs its input onto a genuine response: zeros are that response.
  put("fuzz_handshake_initiator", "genuine-response", Bytes(wire::kResponseLen, 0));
  Bytes other_sender(wire::kResponseLen, 0);
  other_sender[wire::kResponseSenderOffset] = 0x5a;  // the sender index is not authenticated
  put("fuzz_handshake_initiator", "other-sender-index", other_sender);
  put("fuzz_handshake_initiator", "short", Bytes(wire::kResponseLen - 1, 0));
}

// ---- fuzz_peer_card ------------------------------------------------------------------------

void card_seeds() {
  const auto alpha = crypto::Identity::from_seed(fuzz::fixed_key(7));
  const auto beijing = crypto::Identity::from_seed(fuzz::fixed_key(8));
  const auto ep = [](std::string_view text) { return net::parse_endpoint_or_throw(text); };
  const std::string plain = identity::serialize_card(
      identity::make_card(alpha, "Alpha", {ep("192.0.2.10:4500"), ep("[2001:db8::10]:4500")}));
  put("fuzz_peer_card", "alpha", plain);
  put("fuzz_peer_card", "beijing",
      identity::serialize_card(
          identity::make_card(beijing, "北京国防部",
                              {ep("198.51.100.1:1"), ep("[fe80::1%eth0]:5000"),
                               ep("[::ffff:192.0.2.1]:65535"), ep("10.0.0.1:7000")})));
  // The lenient parts of the syntax: BOM, comments and blank lines before the header, CRLF,
  // trailing blank lines.
  std::string crlf = "\xEF\xBB\xBF# from the Alpha console\r\n\r\n";
  for (const char c : plain) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  put("fuzz_peer_card", "alpha-bom-comment-crlf", crlf + "\r\n\r\n");
}

// ---- fuzz_wav --------------------------------------------------------------------------------

void add_chunk(Bytes& file, std::string_view id, ByteSpan body, bool pad = true) {
  file.insert(file.end(), id.begin(), id.end());
  Bytes size(4);
  store_le32(size.data(), static_cast<std::uint32_t>(body.size()));
  file.insert(file.end(), size.begin(), size.end());
  file.insert(file.end(), body.begin(), body.end());
  if (pad && body.size() % 2 == 1) file.push_back(0);
}

// A RIFF/WAVE file with an optional odd-sized LIST chunk (without its pad byte) before fmt.
Bytes wav_file(std::uint16_t tag, std::uint16_t channels, std::uint32_t rate, std::uint16_t bits,
               std::size_t frames, bool extensible, bool odd_list = false) {
  const auto block = static_cast<std::uint16_t>(channels * bits / 8);
  Bytes fmt(extensible ? 40 : 16, 0);
  store_le16(&fmt[0], extensible ? 0xFFFE : tag);
  store_le16(&fmt[2], channels);
  store_le32(&fmt[4], rate);
  store_le32(&fmt[8], rate * block);
  store_le16(&fmt[12], block);
  store_le16(&fmt[14], bits);
  if (extensible) {
    const std::array<std::uint8_t, 14> tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                               0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    store_le16(&fmt[16], 22);
    store_le16(&fmt[18], bits);
    store_le32(&fmt[20], channels == 2 ? 3 : 4);
    store_le16(&fmt[24], tag);
    std::copy(tail.begin(), tail.end(), fmt.begin() + 26);
  }
  Bytes file = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
  if (odd_list) add_chunk(file, "LIST", as_bytes("abc"), false);
  add_chunk(file, "fmt ", fmt);
  add_chunk(file, "data", pattern(frames * block));
  store_le32(&file[4], static_cast<std::uint32_t>(file.size() - 8));
  return file;
}

Bytes read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void wav_seeds(const fs::path& scratch) {
  for (const int rate : {48000, 16000}) {
    const fs::path path = scratch / "writer.wav";
    {
      audio::WavWriter writer(path, rate);
      std::vector<std::int16_t> samples(static_cast<std::size_t>(rate / 100));
      for (std::size_t i = 0; i < samples.size(); ++i) {
        samples[i] = static_cast<std::int16_t>((i % 40) * 800 - 16000);
      }
      writer.write(samples);
      writer.close();
    }
    put("fuzz_wav", "writer-" + std::to_string(rate), read_all(path));
  }
  put("fuzz_wav", "u8-8k-mono", wav_file(1, 1, 8000, 8, 80, false));
  put("fuzz_wav", "s24-44k1-stereo-extensible", wav_file(1, 2, 44100, 24, 40, true));
  put("fuzz_wav", "s32-96k-mono-odd-list", wav_file(1, 1, 96000, 32, 40, false, true));
  put("fuzz_wav", "f32-48k-stereo", wav_file(3, 2, 48000, 32, 40, false));
  Bytes streamed = wav_file(1, 1, 22050, 16, 30, false);
  store_le32(&streamed[40], 0xFFFFFFFF);  // a streaming writer's "unknown" data size
  put("fuzz_wav", "s16-22k-unknown-size", streamed);
}

// ---- fuzz_endpoint, fuzz_psk ---------------------------------------------------------------

void text_seeds() {
  const std::vector<std::pair<std::string, std::string_view>> endpoints = {
      {"v4-loopback", "127.0.0.1:7000"},        {"v6-loopback", "[::1]:7000"},
      {"v6-scope-name", "[fe80::1%eth0]:5000"}, {"v6-scope-number", "[fe80::2%2]:6000"},
      {"v6-doc", "[2001:db8::10]:4500"},        {"v4-mapped", "[::ffff:192.0.2.1]:1"},
      {"v4-port-max", "192.0.2.7:65535"},
  };
  for (const auto& [name, text] : endpoints) put("fuzz_endpoint", name, text);
  const std::string psk = admin::format_psk(fuzz::fixed_key(fuzz::kPskFill));
  put("fuzz_psk", "psk-line", psk + "\n");
  put("fuzz_psk", "psk-spaces", "  \t" + psk + " \r\n");
  put("fuzz_psk", "psk-all-zero", admin::format_psk(crypto::SecretKey()));
  put("fuzz_psk", "base64-padded", to_base64(pattern(31)));
}

// ---- fuzz_sealed_call ----------------------------------------------------------------------

void sealed_call_seeds() {
  store::CallRecord r;
  r.peer_name = "Singapore";
  r.peer_fingerprint = "12345 67890 13579 24680";
  r.direction = store::CallDirection::kIn;
  r.started_at = 1'700'000'000'000;
  r.answered_at = r.started_at + 2'000;
  r.ended_at = r.last_seen_at = r.started_at + 62'000;
  r.duration_s = 60;
  r.outcome = store::CallOutcome::kAnswered;
  r.end_reason = "remote_hangup";
  r.sas = "Burbank Medusa miser vagabond";
  r.quality = store::CallQuality{12.5, 1.0, 3.0, 0.5, 4, 1};
  r.note = "line clear, 确认";
  put("fuzz_sealed_call", "encoded", store::encode_call(r));
  const crypto::SecretKey history_key = fuzz::fixed_key(fuzz::kHistoryKeyFill);
  put("fuzz_sealed_call", "sealed", store::seal_call(history_key, 7, 3, r));
  store::CallRecord ringing;
  ringing.peer_name = "北京";
  put("fuzz_sealed_call", "sealed-in-progress", store::seal_call(history_key, 7, 3, ringing));
}

// ---- fuzz_key_file -------------------------------------------------------------------------

void key_file_seeds(const fs::path& scratch) {
  const crypto::SecretKey seed = fuzz::fixed_key(0x66);
  const fs::path path = scratch / "identity.key";
  identity::write_key_file(path, seed, std::nullopt);
  put("fuzz_key_file", "unprotected", read_all(path));
  identity::write_key_file(path, seed, fuzz::kKeyFilePassphrase,
                           identity::KeyFileCost::kInteractive);
  put("fuzz_key_file", "protected-interactive", read_all(path));

  // The target derives only at token cost, so the protected seed it can open is built by hand
  // to key_file.hpp's layout with libsodium's minimum Argon2id cost.
  Bytes file = {'H', 'L', 'K', 'E', 'Y', 0, '\r', '\n', 1, 1};
  file.resize(114);
  store_le64(&file[10], crypto_pwhash_OPSLIMIT_MIN);
  store_le64(&file[18], crypto_pwhash_MEMLIMIT_MIN);
  std::copy_n(pattern(16 + 24).begin(), 16 + 24, file.begin() + 26);
  crypto::SecretKey key;
  const std::string_view pass = fuzz::kKeyFilePassphrase;
  if (crypto_pwhash(key.data(), key.size(), pass.data(), pass.size(), &file[26],
                    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error("Argon2id failed");
  }
  crypto_secretbox_easy(&file[66], seed.data(), seed.size(), &file[42], key.data());
  put("fuzz_key_file", "protected-minimum-cost", file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seeds <corpus dir>\n";
    return 2;
  }
  try {
    g_root = argv[1];
    const fs::path scratch =
        fs::temp_directory_path() / ("hotline-seeds-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    transport_seeds();
    control_seeds();
    handshake_seeds();
    card_seeds();
    sealed_call_seeds();
    wav_seeds(scratch);
    text_seeds();
    key_file_seeds(scratch);
    fs::remove_all(scratch);
  } catch (const std::exception& e) {
    std::cerr << "make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
