// What one 20 ms voice frame costs on the way through the stack, and what the security layer
// costs beside the codec: seal + open of a frame against Opus encode + decode of the same
// frame, the jitter buffer's insert + pop, both sides of a handshake, and dropping junk before
// any Diffie-Hellman. The security/codec ratio is printed at the end of the run, from the two
// figures of this run (docs/performance.md quotes it).

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "core/audio/jitter_buffer.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/call/link.hpp"
#include "core/call/protocol_core.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/net/transport.hpp"
#include "tests/support/signal_compare.hpp"

using namespace hotline;

namespace {

constexpr int kFrameMs = 20;
constexpr int kBitrate = 32000;  // the console's default
constexpr std::size_t kFrameSamples = 48 * kFrameMs;
constexpr std::size_t kFrames = 250;  // 5 s of speech-like signal, cycled

const std::vector<std::int16_t>& speech() {
  static const auto samples = test::speech_like(kFrameSamples * kFrames, 11);
  return samples;
}

std::span<const std::int16_t> frame(std::size_t k) {
  return std::span(speech()).subspan((k % kFrames) * kFrameSamples, kFrameSamples);
}

crypto::SecretKey random_key() {
  crypto::SecretKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

// Two ends of one keyed session, as the engine holds them after a handshake.
struct LinkPair {
  call::Link sender{asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 7001)};
  call::Link receiver{asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 7002)};
  call::Clock::time_point now = call::Clock::now();

  LinkPair() {
    crypto::SecretKey a_to_b = random_key(), b_to_a = random_key();
    call::Session s;
    s.keys = {a_to_b.clone(), b_to_a.clone()};
    s.local_index = 1;
    s.remote_index = 2;
    s.created = now;
    sender.install(std::move(s), true);
    call::Session r;
    r.keys = {std::move(b_to_a), std::move(a_to_b)};
    r.local_index = 2;
    r.remote_index = 1;
    r.created = now;
    receiver.install(std::move(r), true);
  }
};

// The Opus payload of every frame, encoded once, for benchmarks that need real packets.
const std::vector<Bytes>& opus_frames() {
  static const auto frames = [] {
    audio::OpusVoiceEncoder encoder(kFrameMs, kBitrate);
    std::vector<Bytes> out;
    Bytes packet(encoder.packet_bytes());
    for (std::size_t k = 0; k < kFrames; ++k) {
      const std::size_t n = encoder.encode(frame(k), packet);
      out.emplace_back(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return out;
  }();
  return frames;
}

void BM_CodecEncodeDecodeFrame(benchmark::State& state) {
  audio::OpusVoiceEncoder encoder(kFrameMs, kBitrate);
  audio::OpusVoiceDecoder decoder(kFrameMs);
  Bytes packet(encoder.packet_bytes());
  std::vector<std::int16_t> decoded(kFrameSamples);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t n = encoder.encode(frame(k++), packet);
    benchmark::DoNotOptimize(decoder.decode(ByteSpan(packet.data(), n), decoded));
  }
}
BENCHMARK(BM_CodecEncodeDecodeFrame);

// The encoder alone: nearly all of the codec's cost, and so of a call's CPU.
void BM_CodecEncodeFrame(benchmark::State& state) {
  audio::OpusVoiceEncoder encoder(kFrameMs, kBitrate);
  Bytes packet(encoder.packet_bytes());
  std::size_t k = 0;
  for (auto _ : state) benchmark::DoNotOptimize(encoder.encode(frame(k++), packet));
}
BENCHMARK(BM_CodecEncodeFrame);

void BM_SecuritySealOpenFrame(benchmark::State& state) {
  LinkPair pair;
  const Bytes& payload = opus_frames()[0];
  Bytes packet(payload.size() + wire::kTransportOverhead);
  Bytes plain(payload.size());
  for (auto _ : state) {
    const std::size_t n = pair.sender.seal(wire::MessageType::kVoice, payload, packet, pair.now);
    const ByteSpan sealed(packet.data(), n);
    const auto header = net::parse_transport_header(sealed);
    const auto opened = pair.receiver.open(*header, sealed, plain, pair.now);
    if (!opened) state.SkipWithError("a sealed frame did not open");
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_SecuritySealOpenFrame);

void BM_JitterBufferFrame(benchmark::State& state) {
  audio::JitterBuffer buffer(2);
  const auto& frames = opus_frames();
  auto now = audio::JitterBuffer::Clock::now();
  std::uint64_t seq = 0;
  for (; seq < 2; ++seq) buffer.insert(seq, frames[seq], now);
  for (auto _ : state) {
    buffer.insert(seq, frames[seq % kFrames], now);
    ++seq;
    now += std::chrono::milliseconds(kFrameMs);
    benchmark::DoNotOptimize(buffer.pop(now));
  }
  if (buffer.stats().played + 2 < buffer.stats().received) state.SkipWithError("frames lost");
}
BENCHMARK(BM_JitterBufferFrame);

// ---- handshakes ----------------------------------------------------------------------------

struct Consoles {
  crypto::Identity initiator = crypto::Identity::generate();
  crypto::Identity responder = crypto::Identity::generate();
  crypto::SecretKey psk;  // no pre-shared key: all zeros, as the engine sends it
  crypto::Mac1Key responder_mac{responder.dh_public()};
  crypto::Mac1Key initiator_mac{initiator.dh_public()};
};

Consoles& consoles() {
  static Consoles c;
  return c;
}

// Initiator: builds message 1 and reads message 2 (timed); the responder's part is not.
void BM_HandshakeInitiator(benchmark::State& state) {
  Consoles& c = consoles();
  for (auto _ : state) {
    net::PendingInitiation pending;
    const Bytes initiation =
        net::build_initiation(c.initiator, c.responder.dh_public(), c.psk, 1, crypto::tai64n_now(),
                              wire::InitiationPurpose::kCall, std::nullopt, pending);
    state.PauseTiming();
    auto received = net::read_initiation(initiation, c.responder);
    net::CompletedHandshake responder_done;
    const Bytes response = net::build_response(*received, c.psk, 2, responder_done);
    state.ResumeTiming();
    if (!net::response_passes_mac(response, c.initiator_mac)) state.SkipWithError("mac1");
    const auto done = net::read_response(response, pending);
    if (!done) state.SkipWithError("the response did not complete the handshake");
    benchmark::DoNotOptimize(done);
  }
}
BENCHMARK(BM_HandshakeInitiator)->Unit(benchmark::kMicrosecond);

// Responder: checks mac1, reads message 1 and builds message 2 (timed).
void BM_HandshakeResponder(benchmark::State& state) {
  Consoles& c = consoles();
  for (auto _ : state) {
    state.PauseTiming();
    net::PendingInitiation pending;
    const Bytes initiation =
        net::build_initiation(c.initiator, c.responder.dh_public(), c.psk, 1, crypto::tai64n_now(),
                              wire::InitiationPurpose::kCall, std::nullopt, pending);
    state.ResumeTiming();
    if (!net::initiation_passes_mac(initiation, c.responder_mac)) state.SkipWithError("mac1");
    auto received = net::read_initiation(initiation, c.responder);
    if (!received) state.SkipWithError("the initiation did not read");
    net::CompletedHandshake done;
    benchmark::DoNotOptimize(net::build_response(*received, c.psk, 2, done));
  }
}
BENCHMARK(BM_HandshakeResponder)->Unit(benchmark::kMicrosecond);

// ---- junk ----------------------------------------------------------------------------------

// The real protocol core given packets the way the engine shell's receive loop would: this is
// the whole path from the datagram to the counted drop (the shell adds only the socket read).
struct EngineUnderFlood : call::CoreOutput {
  std::shared_ptr<crypto::Identity> identity =
      std::make_shared<crypto::Identity>(crypto::Identity::generate());
  call::ProtocolCore core;
  std::mt19937 rng{3};
  asio::ip::udp::endpoint from{asio::ip::make_address("127.0.0.2"), 40000};

  EngineUnderFlood() : core(config(), *this) {}
  call::EngineConfig config() const {
    call::EngineConfig c;
    c.identity = identity;
    c.listen = {"127.0.0.1", 0};
    return c;
  }
  bool send_datagram(ByteSpan, const asio::ip::udp::endpoint&) override { return true; }
  void call_changed(const call::CallStats&) override {}
  void peer_status(const call::PeerStatus&) override {}
  void initiation_timestamp(const crypto::PublicKey&, const crypto::Tai64n&) override {}
  void read_initiation(call::InitiationRead) override {}  // the drops measured never get here
  void call_snapshot(const call::CallStats&) override {}
  void counters_snapshot(const call::EngineCounters&) override {}
  std::shared_ptr<audio::AudioDevice> open_device(const call::CallStats&) override {
    return nullptr;  // no call ever gets that far under a flood
  }
  void close_device(std::shared_ptr<audio::AudioDevice>) override {}

  Bytes random_packet(std::size_t size, std::uint8_t type) {
    Bytes p(size);
    randombytes_buf(p.data(), p.size());
    p[0] = type;
    return p;
  }
};

void flood(benchmark::State& state, std::size_t size, std::uint8_t type,
           std::uint64_t call::EngineCounters::*drop_counter) {
  static EngineUnderFlood engine;
  std::vector<Bytes> packets;
  for (int i = 0; i < 256; ++i) packets.push_back(engine.random_packet(size, type));
  const auto before = engine.core.counters().*drop_counter;
  const auto now = call::Clock::now();
  std::size_t k = 0;
  for (auto _ : state) engine.core.on_datagram(packets[k++ % packets.size()], engine.from, now);
  const auto dropped = engine.core.counters().*drop_counter - before;
  if (dropped != static_cast<std::uint64_t>(state.iterations()))
    state.SkipWithError("a junk packet was not counted where expected");
}

void BM_DropJunkUnknownType(benchmark::State& state) {
  flood(state, 100, 0x7f, &call::EngineCounters::malformed);
}
BENCHMARK(BM_DropJunkUnknownType);

void BM_DropJunkInitiationBadMac(benchmark::State& state) {
  flood(state, wire::kInitiationLen, static_cast<std::uint8_t>(wire::MessageType::kInitiation),
        &call::EngineCounters::mac_failures);
}
BENCHMARK(BM_DropJunkInitiationBadMac);

void BM_DropJunkResponseBadMac(benchmark::State& state) {
  flood(state, wire::kResponseLen, static_cast<std::uint8_t>(wire::MessageType::kResponse),
        &call::EngineCounters::mac_failures);
}
BENCHMARK(BM_DropJunkResponseBadMac);

void BM_DropJunkVoiceUnknownIndex(benchmark::State& state) {
  flood(state, 104, static_cast<std::uint8_t>(wire::MessageType::kVoice),
        &call::EngineCounters::unknown_index);
}
BENCHMARK(BM_DropJunkVoiceUnknownIndex);

// Junk that names a live session: the receiver must authenticate it to know (ChaCha20-
// Poly1305 of one frame, no DH), and so must it for a replayed genuine packet, whose counter
// is checked only after authentication so forgeries cannot move the replay window.
void BM_DropForgedVoiceLiveIndex(benchmark::State& state) {
  LinkPair pair;
  Bytes packet(opus_frames()[0].size() + wire::kTransportOverhead);
  pair.sender.seal(wire::MessageType::kVoice, opus_frames()[0], packet, pair.now);
  packet[20] ^= 1;  // one flipped ciphertext bit
  Bytes plain(packet.size());
  const auto header = net::parse_transport_header(packet);
  for (auto _ : state) {
    if (pair.receiver.open(*header, packet, plain, pair.now)) state.SkipWithError("opened");
  }
}
BENCHMARK(BM_DropForgedVoiceLiveIndex);

void BM_DropReplayedVoice(benchmark::State& state) {
  LinkPair pair;
  Bytes packet(opus_frames()[0].size() + wire::kTransportOverhead);
  pair.sender.seal(wire::MessageType::kVoice, opus_frames()[0], packet, pair.now);
  Bytes plain(packet.size());
  const auto header = net::parse_transport_header(packet);
  if (!pair.receiver.open(*header, packet, plain, pair.now)) state.SkipWithError("not opened");
  for (auto _ : state) {
    if (pair.receiver.open(*header, packet, plain, pair.now)) state.SkipWithError("replayed");
  }
}
BENCHMARK(BM_DropReplayedVoice);

// Valid mac1 (anyone who knows our public key can compute it) from one source, past the load
// threshold: answered with a cookie reply (a keyed BLAKE2b and a sealed 16 bytes), no DH.
void BM_CookieReplyUnderLoad(benchmark::State& state) {
  static EngineUnderFlood engine;
  const crypto::Mac1Key mac(engine.identity->dh_public());
  Bytes packet = engine.random_packet(wire::kInitiationLen,
                                      static_cast<std::uint8_t>(wire::MessageType::kInitiation));
  const auto m = crypto::compute_mac1(mac, ByteSpan(packet.data(), wire::kInitiationMacOffset));
  std::copy(m.begin(), m.end(), packet.begin() + wire::kInitiationMacOffset);
  const auto now = call::Clock::now();
  for (int i = 0; i < 1000; ++i) engine.core.on_datagram(packet, engine.from, now);  // use it up
  const auto before = engine.core.counters().cookie_replies_sent;
  for (auto _ : state) engine.core.on_datagram(packet, engine.from, now);
  if (engine.core.counters().cookie_replies_sent - before !=
      static_cast<std::uint64_t>(state.iterations()))
    state.SkipWithError("an initiation under load was not answered with a cookie reply");
}
BENCHMARK(BM_CookieReplyUnderLoad);

// Keeps each benchmark's CPU time per iteration, to print the ratio after the run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && run.iterations > 0)
        ns_[run.run_name.function_name] =
            run.GetAdjustedCPUTime() * (run.time_unit == benchmark::kMicrosecond ? 1e3 : 1.0);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto codec = ns_.find("BM_CodecEncodeDecodeFrame");
    const auto security = ns_.find("BM_SecuritySealOpenFrame");
    if (codec != ns_.end() && security != ns_.end() && codec->second > 0) {
      std::printf("security/codec per 20 ms frame: %.1f ns / %.1f ns = %.2f %% (goal < 3 %%)\n",
                  security->second, codec->second, 100.0 * security->second / codec->second);
    }
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
