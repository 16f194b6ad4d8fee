#include "tests/support/udp_relay.hpp"

#include <algorithm>
#include <asio.hpp>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/util/bytes.hpp"

namespace hotline::test {
namespace {

using namespace std::chrono_literals;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPayloadBytes = 32;  // sequence number (le64) + padding
constexpr std::uint64_t kBatch = 50;       // small enough never to overflow a socket buffer

struct Arrival {
  std::uint64_t seq;
  Clock::time_point at;
  udp::endpoint from;
};

// A loopback UDP socket on its own io thread that records what it receives; as an echo target
// it also sends every datagram straight back to its sender.
class Peer {
 public:
  Peer(const udp::endpoint& local, bool echo) : socket_(io_, local), echo_(echo) {
    receive();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Peer() {
    io_.stop();
    thread_.join();
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  udp::endpoint endpoint() const { return socket_.local_endpoint(); }

  // Sent from the io thread (the socket is not shared between threads); order is preserved.
  void send(const udp::endpoint& to, std::uint64_t seq) {
    asio::post(io_, [this, to, seq] {
      std::vector<std::uint8_t> payload(kPayloadBytes, 0xA5);
      store_le64(payload.data(), seq);
      {
        std::lock_guard lock(mutex_);
        sent_at_[seq] = Clock::now();
      }
      asio::error_code ignored;
      socket_.send_to(asio::buffer(payload), to, 0, ignored);
    });
  }

  std::vector<Arrival> arrivals() const {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return arrivals_.size();
  }
  Clock::time_point sent_at(std::uint64_t seq) const {
    std::lock_guard lock(mutex_);
    return sent_at_.at(seq);
  }

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(buffer_), sender_,
                               [this](asio::error_code ec, std::size_t size) {
                                 if (ec == asio::error::operation_aborted) return;
                                 if (!ec && size >= 8) on_datagram(size);
                                 receive();
                               });
  }
  void on_datagram(std::size_t size) {
    {
      std::lock_guard lock(mutex_);
      arrivals_.push_back({load_le64(buffer_.data()), Clock::now(), sender_});
    }
    if (echo_) {
      asio::error_code ignored;
      socket_.send_to(asio::buffer(buffer_.data(), size), sender_, 0, ignored);
    }
  }

  asio::io_context io_;
  udp::socket socket_;
  bool echo_;
  udp::endpoint sender_;
  std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(65536);
  mutable std::mutex mutex_;
  std::vector<Arrival> arrivals_;
  std::map<std::uint64_t, Clock::time_point> sent_at_;
  std::thread thread_;
};

// Polls instead of sleeping a fixed time; the timeout only turns a hang into a failure.
template <class Ready>
bool wait_for(Ready ready, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = Clock::now() + timeout;
  while (!ready()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// client -> relay -> echo target -> relay -> client.
struct Harness {
  explicit Harness(Impairment client_to_target = {}, Impairment target_to_client = {},
                   std::uint64_t seed = 1,
                   asio::ip::address loopback = asio::ip::address_v4::loopback())
      : echo(udp::endpoint(loopback, 0), true),
        relay(echo.endpoint(), client_to_target, target_to_client, seed),
        client(udp::endpoint(loopback, 0), false) {
    relay.start();
  }

  void send(std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) client.send(relay.endpoint(), next_seq++);
  }

  // Everything sent has been through the relay and the echo, and every reply has landed.
  bool settled() const {
    const RelayCounters c = relay.counters();
    return c.client_to_target.received == next_seq && c.client_to_target.idle() &&
           echo.count() == c.client_to_target.forwarded &&
           c.target_to_client.received == echo.count() + unsolicited_replies &&
           c.target_to_client.idle() && client.count() == c.target_to_client.forwarded;
  }

  // Sends in batches and waits for each to settle so no socket buffer can overflow.
  void pump(std::uint64_t count) {
    while (count > 0) {
      const std::uint64_t n = std::min(count, kBatch);
      send(n);
      REQUIRE(wait_for([&] { return settled(); }));
      count -= n;
    }
  }

  Peer echo;
  UdpRelay relay;
  Peer client;
  std::uint64_t next_seq = 0;
  std::uint64_t unsolicited_replies = 0;  // datagrams the echo sent on its own to the relay
};

std::vector<std::uint64_t> seqs(const std::vector<Arrival>& arrivals) {
  std::vector<std::uint64_t> out;
  for (const Arrival& a : arrivals) out.push_back(a.seq);
  return out;
}

std::chrono::microseconds median(std::vector<std::chrono::microseconds> values) {
  REQUIRE(!values.empty());
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::chrono::microseconds elapsed(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from);
}

std::vector<std::uint64_t> ascending(std::uint64_t count) {
  std::vector<std::uint64_t> out(count);
  for (std::uint64_t i = 0; i < count; ++i) out[i] = i;
  return out;
}

}  // namespace

TEST_CASE("relay without impairment forwards everything both ways in order") {
  Harness h;
  h.pump(1000);

  const std::vector<Arrival> at_target = h.echo.arrivals();
  CHECK(seqs(at_target) == ascending(1000));
  CHECK(seqs(h.client.arrivals()) == ascending(1000));
  for (const Arrival& a : at_target) CHECK(a.from == at_target.front().from);
  for (const Arrival& a : h.client.arrivals()) CHECK(a.from == h.relay.endpoint());

  const RelayCounters c = h.relay.counters();
  for (const DirectionCounters& d : {c.client_to_target, c.target_to_client}) {
    CHECK(d.received == 1000);
    CHECK(d.forwarded == 1000);
    CHECK(d.dropped_loss + d.dropped_outage + d.duplicated + d.reordered + d.send_failed == 0);
  }
}

TEST_CASE("relay keeps each client on its own source port towards the target") {
  Harness h;
  Peer second(udp::endpoint(asio::ip::address_v4::loopback(), 0), false);
  h.pump(10);
  for (std::uint64_t seq = 1000; seq < 1010; ++seq) second.send(h.relay.endpoint(), seq);
  REQUIRE(wait_for([&] { return second.count() == 10; }));

  std::set<udp::endpoint> sources;
  for (const Arrival& a : h.echo.arrivals()) sources.insert(a.from);
  CHECK(sources.size() == 2);
  for (const Arrival& a : second.arrivals()) CHECK(a.seq >= 1000);
  CHECK(seqs(h.client.arrivals()) == ascending(10));
}

TEST_CASE("relay loss 0.2 drops about a fifth of the packets, reproducibly") {
  Impairment lossy;
  lossy.loss = 0.2;
  Harness h(lossy, {}, 42);
  h.pump(2000);

  const RelayCounters c = h.relay.counters();
  // Expected 400, standard deviation ~18: the band is about +-4.5 sigma.
  CHECK(c.client_to_target.dropped_loss >= 320);
  CHECK(c.client_to_target.dropped_loss <= 480);
  CHECK(h.echo.count() == 2000 - c.client_to_target.dropped_loss);
  CHECK(c.target_to_client.dropped_loss == 0);
  CHECK(h.client.count() == h.echo.count());

  Harness same_seed(lossy, {}, 42);
  same_seed.pump(2000);
  CHECK(seqs(same_seed.echo.arrivals()) == seqs(h.echo.arrivals()));

  Harness other_seed(lossy, {}, 43);
  other_seed.pump(2000);
  CHECK(seqs(other_seed.echo.arrivals()) != seqs(h.echo.arrivals()));
}

TEST_CASE("relay burst loss drops packets in runs") {
  Impairment bursty;
  bursty.burst_loss_enter = 0.05;
  bursty.burst_loss_exit = 0.25;  // mean burst of 4 packets; 1/6 of the time in the bad state
  Harness h(bursty, {}, 7);
  h.pump(4000);

  const std::uint64_t dropped = h.relay.counters().client_to_target.dropped_loss;
  CHECK(dropped >= 400);
  CHECK(dropped <= 1000);

  std::vector<bool> arrived(4000, false);
  for (const Arrival& a : h.echo.arrivals()) arrived.at(a.seq) = true;
  std::uint64_t runs = 0;
  for (std::size_t i = 0; i < arrived.size(); ++i) {
    if (!arrived[i] && (i == 0 || arrived[i - 1])) ++runs;
  }
  REQUIRE(runs > 0);
  // Independent loss at this rate would give runs of ~1.2 packets.
  CHECK(static_cast<double>(dropped) / static_cast<double>(runs) >= 2.5);
}

TEST_CASE("relay duplication sends extra copies") {
  Impairment duplicating;
  duplicating.duplicate = 0.3;
  Harness h(duplicating, {}, 3);
  h.pump(1000);

  const DirectionCounters c = h.relay.counters().client_to_target;
  CHECK(c.duplicated >= 220);  // expected 300, standard deviation ~14.5
  CHECK(c.duplicated <= 380);
  CHECK(c.forwarded == 1000 + c.duplicated);
  REQUIRE(h.echo.count() == 1000 + c.duplicated);

  std::map<std::uint64_t, int> copies;
  for (const Arrival& a : h.echo.arrivals()) ++copies[a.seq];
  CHECK(copies.size() == 1000);
  std::uint64_t doubled = 0;
  for (const auto& [seq, n] : copies) {
    CHECK(n <= 2);
    if (n == 2) ++doubled;
  }
  CHECK(doubled == c.duplicated);
}

TEST_CASE("relay delays each direction by its own configured amount") {
  Impairment forward;
  forward.delay = 50ms;
  Impairment backward;
  backward.delay = 30ms;
  Harness h(forward, backward);
  h.pump(100);

  std::vector<std::chrono::microseconds> there, back;
  for (const Arrival& a : h.echo.arrivals())
    there.push_back(elapsed(h.client.sent_at(a.seq), a.at));
  std::map<std::uint64_t, Clock::time_point> echoed_at;
  for (const Arrival& a : h.echo.arrivals()) echoed_at[a.seq] = a.at;
  for (const Arrival& a : h.client.arrivals()) back.push_back(elapsed(echoed_at.at(a.seq), a.at));

  CHECK(median(there) >= 45ms);
  CHECK(median(back) >= 27ms);
}

TEST_CASE("relay jitter spreads the delay without going below delay minus jitter") {
  Impairment jittery;
  jittery.delay = 20ms;
  jittery.jitter = 10ms;
  Harness h(jittery, {}, 11);
  h.pump(200);

  std::vector<std::chrono::microseconds> delays;
  for (const Arrival& a : h.echo.arrivals())
    delays.push_back(elapsed(h.client.sent_at(a.seq), a.at));
  std::sort(delays.begin(), delays.end());
  CHECK(delays.front() >= 10ms);  // a timer never fires early
  CHECK(delays.back() >= 25ms);   // 200 uniform draws from [10, 30] ms reach that
}

TEST_CASE("relay reorder holds packets back so later ones overtake them") {
  Impairment reordering;
  reordering.reorder = 0.2;
  reordering.reorder_delay = 20ms;
  Harness h(reordering, {}, 5);
  h.pump(500);

  const DirectionCounters c = h.relay.counters().client_to_target;
  CHECK(c.reordered >= 60);  // expected 100, standard deviation ~9
  CHECK(c.reordered <= 140);
  const std::vector<Arrival> arrivals = h.echo.arrivals();
  REQUIRE(arrivals.size() == 500);

  std::uint64_t overtaken = 0;
  std::uint64_t highest = 0;
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    if (i > 0 && arrivals[i].seq < highest) {
      ++overtaken;
      CHECK(elapsed(h.client.sent_at(arrivals[i].seq), arrivals[i].at) >= 20ms);
    }
    highest = std::max(highest, arrivals[i].seq);
  }
  // Only a held packet that was last of its batch can arrive without being overtaken.
  CHECK(overtaken >= c.reordered / 2);
  CHECK(overtaken <= c.reordered);
}

TEST_CASE("relay outage drops everything both ways and the call resumes afterwards") {
  Harness h;
  h.pump(10);
  const udp::endpoint relay_link = h.echo.arrivals().front().from;

  h.relay.set_outage(true);
  CHECK(h.relay.outage());
  h.send(100);
  REQUIRE(wait_for([&] {
    const DirectionCounters c = h.relay.counters().client_to_target;
    return c.received == 110 && c.idle();
  }));
  for (std::uint64_t seq = 5000; seq < 5020; ++seq) h.echo.send(relay_link, seq);
  h.unsolicited_replies = 20;
  REQUIRE(wait_for([&] {
    const DirectionCounters c = h.relay.counters().target_to_client;
    return c.received == 30 && c.idle();
  }));
  RelayCounters c = h.relay.counters();
  CHECK(c.client_to_target.dropped_outage == 100);
  CHECK(c.target_to_client.dropped_outage == 20);
  CHECK(h.echo.count() == 10);
  CHECK(h.client.count() == 10);

  SECTION("packets already queued when the outage starts are lost too") {
    h.relay.set_outage(false);
    Impairment slow;
    slow.delay = 1s;
    h.relay.set_impairment(Direction::client_to_target, slow);
    h.send(20);
    REQUIRE(wait_for([&] { return h.relay.counters().client_to_target.received == 130; }));
    h.relay.set_outage(true);
    REQUIRE(wait_for([&] { return h.relay.counters().client_to_target.idle(); }));
    c = h.relay.counters();
    CHECK(c.client_to_target.dropped_outage > 100);
    CHECK(c.client_to_target.dropped_outage + c.client_to_target.forwarded == 130);
    h.relay.set_impairment({});
  }

  h.relay.set_outage(false);
  const std::uint64_t resumed_from = h.next_seq;
  h.pump(50);
  std::set<std::uint64_t> echoed;
  for (const Arrival& a : h.client.arrivals()) echoed.insert(a.seq);
  for (std::uint64_t seq = resumed_from; seq < resumed_from + 50; ++seq) CHECK(echoed.count(seq));
}

TEST_CASE("relay rebind changes the source port the target sees") {
  Harness h;
  h.pump(5);
  const udp::endpoint before = h.echo.arrivals().back().from;

  h.relay.rebind_client_side();
  h.pump(5);
  const std::vector<Arrival> arrivals = h.echo.arrivals();
  const udp::endpoint after = arrivals.back().from;
  CHECK(after.address() == before.address());
  CHECK(after.port() != before.port());
  for (std::size_t i = 5; i < arrivals.size(); ++i) CHECK(arrivals[i].from == after);
  CHECK(seqs(h.client.arrivals()) == ascending(10));
  for (const Arrival& a : h.client.arrivals()) CHECK(a.from == h.relay.endpoint());

  // The old port is gone: what the target still sends there never enters the relay (loopback
  // delivery happens inside sendto, so the round trip after it is a barrier).
  for (std::uint64_t seq = 7000; seq < 7003; ++seq) h.echo.send(before, seq);
  h.pump(1);
  CHECK(h.relay.counters().target_to_client.received == 11);
}

TEST_CASE("relay stopped holds traffic in the kernel until started again") {
  Harness h;
  h.pump(5);
  h.relay.stop();
  h.relay.rebind_client_side();  // allowed while stopped
  h.send(5);
  h.relay.start();
  REQUIRE(wait_for([&] { return h.settled(); }));
  CHECK(seqs(h.client.arrivals()) == ascending(10));
  const std::vector<Arrival> arrivals = h.echo.arrivals();
  CHECK(arrivals.front().from != arrivals.back().from);
}

TEST_CASE("relay works over IPv6 loopback") {
  asio::io_context probe_io;
  udp::socket probe(probe_io);
  asio::error_code ec;
  probe.open(udp::v6(), ec);
  if (!ec) probe.bind(udp::endpoint(asio::ip::address_v6::loopback(), 0), ec);
  if (ec) SKIP("no IPv6 loopback here");

  Harness h({}, {}, 1, asio::ip::address_v6::loopback());
  CHECK(h.relay.endpoint().address() == asio::ip::address_v6::loopback());
  h.pump(20);
  CHECK(seqs(h.client.arrivals()) == ascending(20));
}

TEST_CASE("relay rejects a non-loopback target and invalid impairments") {
  const udp::endpoint remote(asio::ip::make_address("192.0.2.1"), 9);
  CHECK_THROWS_AS(UdpRelay(remote, Impairment{}, 1), std::invalid_argument);

  const udp::endpoint local(asio::ip::address_v4::loopback(), 9);
  Impairment bad_probability;
  bad_probability.loss = 1.5;
  CHECK_THROWS_AS(UdpRelay(local, bad_probability, 1), std::invalid_argument);
  Impairment negative;
  negative.delay = -1ms;
  CHECK_THROWS_AS(UdpRelay(local, negative, 1), std::invalid_argument);

  UdpRelay relay(local, Impairment{}, 1);
  CHECK_THROWS_AS(relay.set_impairment(bad_probability), std::invalid_argument);
  CHECK(relay.impairment(Direction::client_to_target).loss == 0);
}

}  // namespace hotline::test
