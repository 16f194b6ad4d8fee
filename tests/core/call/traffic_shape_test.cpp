// What a passive observer of a call's encrypted packets sees (docs/security.md, "Traffic
// analysis"): every transport packet of a call has the size of its voice packets — the
// callee's first reply and a Busy included, which were 64 bytes before, on the real protocol
// core in simulated time.

#include <catch2/catch_test_macros.hpp>
#include <set>

#include "core/wire/wire.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;

namespace {

bool is_transport(const test::SentDatagram& d) {
  return !d.bytes.empty() && (d.bytes[0] == static_cast<std::uint8_t>(wire::MessageType::kVoice) ||
                              d.bytes[0] == static_cast<std::uint8_t>(wire::MessageType::kControl));
}

// The sizes of the transport packets `from` sent to `to`.
std::set<std::size_t> transport_sizes(const test::SimConsole& from, const test::SimConsole& to) {
  std::set<std::size_t> sizes;
  for (const auto& d : from.sent()) {
    if (is_transport(d) && d.to == to.address()) sizes.insert(d.bytes.size());
  }
  return sizes;
}

// 24 kb/s in 20 ms frames: 60-byte Opus frames, 84-byte packets, so no default size matches.
call::CallOptions options_24k() {
  call::CallOptions o;
  o.frame_ms = 20;
  o.bitrate = 24'000;
  return o;
}
constexpr std::size_t kPacket24k = 60 + wire::kTransportOverhead;

std::optional<call::CallStats> ringing(const test::SimConsole& c) {
  for (const auto& e : c.events()) {
    if (e.state == CallState::kRinging) return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("every transport packet of a call, both ways, has its voice packets' size",
          "[call][traffic]") {
  test::SimNetwork net{11};
  auto& beijing = net.add_console("Beijing");
  auto& singapore = net.add_console("Singapore");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  beijing.start();
  singapore.start();
  const auto id = beijing.call("Singapore", options_24k());
  REQUIRE(net.run_until([&] { return ringing(singapore).has_value(); }, 5s));
  net.run_for(3s);  // rings a while
  singapore.answer(ringing(singapore)->id);
  net.run_for(5s);
  beijing.hangup(id);
  net.run_for(3s);
  CHECK(transport_sizes(beijing, singapore) == std::set<std::size_t>{kPacket24k});
  CHECK(transport_sizes(singapore, beijing) == std::set<std::size_t>{kPacket24k});
}

TEST_CASE("a Busy and its Ack have the size of the call that was refused", "[call][traffic]") {
  test::SimNetwork net{12};
  auto& beijing = net.add_console("Beijing");
  auto& singapore = net.add_console("Singapore");
  auto& tokyo = net.add_console("Tokyo");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  singapore.add_peer(tokyo);
  tokyo.add_peer(singapore);
  beijing.start();
  singapore.start();
  tokyo.start();
  tokyo.call("Singapore");  // Singapore is in a call with Tokyo
  REQUIRE(net.run_until([&] { return ringing(singapore).has_value(); }, 5s));
  singapore.answer(ringing(singapore)->id);
  net.run_for(1s);
  const auto id = beijing.call("Singapore", options_24k());
  REQUIRE(net.run_until(
      [&] {
        const auto s = beijing.latest(id);
        return s && s->state == CallState::kEnded;
      },
      10s));
  CHECK(beijing.latest(id)->end_reason == call::EndReason::kBusy);
  CHECK(transport_sizes(singapore, beijing) == std::set<std::size_t>{kPacket24k});
  CHECK(transport_sizes(beijing, singapore) == std::set<std::size_t>{kPacket24k});
}
