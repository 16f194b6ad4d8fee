// Soak: a 30-minute call in simulated time. Every frame is sealed and opened by the two
// consoles' links, which re-key with a real Noise handshake every 2 minutes (the protocol's
// interval), while the two sound cards run 0.1 % apart. Nothing may be concealed at a re-key,
// the playout delay must not drift, and the heap must not grow.

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <cmath>
#include <random>

#include "core/call/link.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/net/handshake_messages.hpp"
#include "tests/core/audio/allocation_counter.hpp"
#include "tests/support/playout_simulation.hpp"

using namespace hotline;
using namespace std::chrono_literals;

namespace {

// The caller's link seals, the callee's opens; the caller initiates every re-key, and the
// callee installs the new keys as `next`, as the engine does.
class RekeyingTransport final : public test::SimulatedTransport {
 public:
  Bytes seal(std::uint64_t, ByteSpan opus, Clock::time_point now) override {
    if (!keyed_at_ || now - *keyed_at_ >= wire::kRekeyAfter) rekey(now);
    caller_.expire(now);
    callee_.expire(now);
    Bytes packet(opus.size() + wire::kTransportOverhead);
    packet.resize(caller_.seal(wire::MessageType::kVoice, opus, packet, now));
    return packet;
  }

  std::optional<std::uint64_t> open(ByteSpan packet, Clock::time_point now, Bytes& opus) override {
    const auto header = net::parse_transport_header(packet);
    if (!header) return std::nullopt;
    opus.resize(packet.size());
    const auto opened = callee_.open(*header, packet, opus, now);
    if (!opened) return std::nullopt;
    opus.resize(opened->length);
    return opened->counter;  // the voice counter is the frame's sequence number
  }

  const call::Link& caller() const { return caller_; }
  const call::Link& callee() const { return callee_; }
  int handshakes() const { return handshakes_; }

 private:
  void rekey(Clock::time_point now) {
    net::PendingInitiation pending;
    const Bytes initiation = net::build_initiation(beijing_, singapore_.dh_public(), psk_,
                                                   next_index_++, crypto::tai64n_now(), pending);
    auto received = net::read_initiation(initiation, singapore_);
    REQUIRE(received);
    net::CompletedHandshake responder;
    const std::uint32_t responder_index = next_index_++;
    const Bytes response = net::build_response(*received, psk_, responder_index, responder);
    const std::uint32_t initiator_index = pending.sender_index;
    auto initiator = net::read_response(response, pending);
    REQUIRE(initiator);
    caller_.install(session(*initiator, initiator_index, now), true);
    callee_.install(session(responder, responder_index, now), false);
    keyed_at_ = now;
    ++handshakes_;
  }

  static call::Session session(net::CompletedHandshake& done, std::uint32_t local_index,
                               Clock::time_point now) {
    call::Session s;
    s.keys = std::move(done.keys);
    s.local_index = local_index;
    s.remote_index = done.remote_index;
    s.created = now;
    s.handshake_hash = done.handshake_hash;
    return s;
  }

  crypto::Identity beijing_ = crypto::Identity::generate();
  crypto::Identity singapore_ = crypto::Identity::generate();
  crypto::SecretKey psk_;
  call::Link caller_{asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 7002)};
  call::Link callee_{asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 7001)};
  std::optional<Clock::time_point> keyed_at_;
  std::uint32_t next_index_ = 1;
  int handshakes_ = 0;
};

double mean_buffered(const test::PlayoutSimulationResult& r, std::size_t from_s, std::size_t to_s) {
  double sum = 0;
  for (std::size_t s = from_s; s < to_s; ++s) sum += r.seconds.at(s).buffered_ms;
  return sum / static_cast<double>(to_s - from_s);
}

}  // namespace

TEST_CASE("soak: 30 minutes in simulated time, re-keyed every 2 minutes, clocks 0.1 % apart",
          "[soak]") {
  const double skew = GENERATE(0.001, -0.001);
  RekeyingTransport transport;
  test::PlayoutSimulation sim;
  sim.sender_clock = 1.0 + skew / 2;
  sim.receiver_clock = 1.0 - skew / 2;
  sim.duration = 30min;
  sim.transport = &transport;
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> jitter(0.0, 4.0);
  sim.network = [&](std::uint64_t, double) { return std::optional<double>(30.0 + jitter(rng)); };
  // Live heap blocks at the end of every minute (what was allocated and not yet freed).
  std::vector<std::ptrdiff_t> live_per_minute;
  sim.each_second = [&](std::size_t second) {
    if (second % 60 == 0) live_per_minute.push_back(test::live_allocation_count());
  };
  const auto r = test::simulate(sim);

  const double early = mean_buffered(r, 60, 120);
  const double late = mean_buffered(r, 1740, 1800);
  const auto [least, most] =
      std::minmax_element(live_per_minute.begin() + 2, live_per_minute.end());
  WARN("skew " << skew * 100 << " %: " << transport.handshakes() << " handshakes; buffered "
               << early << " ms in minute 2, " << late << " ms in minute 30; live heap "
               << "blocks " << *least << ".." << *most << " from minute 3 on");
  CAPTURE(skew, early, late, r.stats.rate_adjust, r.stats.concealed_samples);
  CHECK(transport.handshakes() == 15);
  CHECK(transport.callee().counters().auth_failures == 0);
  CHECK(transport.callee().counters().replays_dropped == 0);
  // Every frame sent arrived, opened and was played: no gap at any of the 14 key changes.
  CHECK(r.stats.jitter.lost == 0);
  CHECK(r.stats.jitter.late == 0);
  CHECK(r.stats.concealed_samples - r.seconds.at(29).concealed_samples == 0);
  CHECK(r.device_underruns == 0);
  // 0.1 % over 30 minutes is 1.8 s of drift without correction.
  CHECK(std::abs(late - early) < 5.0);
  CHECK(std::abs(r.stats.rate_adjust + skew) < 0.0004);
  // The heap is flat: the same blocks live at every minute, give or take the packets in flight.
  CHECK(*most - *least <= 8);
}
