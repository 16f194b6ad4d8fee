#pragma once
// Simulated time for the protocol core: several consoles, each a real ProtocolCore with a
// simulated sound card, joined by an in-memory network with seeded loss, delay, jitter,
// duplication and blackouts, under one fake clock. run_until() jumps from one due thing to
// the next (a core's deadline, a datagram's arrival, a sound-card period), so a 30-minute call
// takes seconds and every timer is observed to the nanosecond it fires.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/call/protocol_core.hpp"
#include "tests/support/sim_device.hpp"

namespace hotline::test {

using SimTime = call::Clock::time_point;
// The simulation's epoch: far from 0 so "time - interval" never underflows.
inline const SimTime kSimStart = SimTime{} + std::chrono::hours(1000);

struct SentDatagram {
  SimTime at;
  std::string from;  // console name
  asio::ip::udp::endpoint to;
  Bytes bytes;
};

// What one direction of the network does to datagrams.
struct PathImpairment {
  double loss = 0;  // probability, 0..1, independent of the burst model
  // Gilbert-Elliott, as the UDP relay's: each datagram first moves good->bad with
  // burst_loss_enter or bad->good with burst_loss_exit; all in the bad state are lost.
  double burst_loss_enter = 0;
  double burst_loss_exit = 1;
  double duplicate = 0;                 // probability, 0..1
  std::chrono::microseconds delay{0};   // one way
  std::chrono::microseconds jitter{0};  // uniform 0..jitter added (reorders)
  double reorder = 0;                   // probability a datagram is held back by reorder_delay
  std::chrono::microseconds reorder_delay{20'000};
  bool blackout = false;   // drop everything
  bool burst_bad = false;  // the path's state in the burst model
};

class SimNetwork;

class SimConsole final : public call::CoreOutput {
 public:
  SimConsole(SimNetwork& net, std::string name, asio::ip::udp::endpoint address);

  // Knows `other` as a peer (before start()).
  void add_peer(const SimConsole& other, bool enabled = true);
  call::EngineConfig& config() { return config_; }
  void start();  // builds the core from config()

  call::ProtocolCore& core() { return *core_; }
  const std::string& name() const { return name_; }
  const asio::ip::udp::endpoint& address() const { return address_; }
  void set_address(asio::ip::udp::endpoint a) { address_ = a; }  // roaming
  const crypto::Identity& identity() const { return *identity_; }

  // Commands, at the simulation's current time.
  call::CallId call(const std::string& peer, call::CallOptions options = {});
  void answer(call::CallId id);
  void hangup(call::CallId id);

  const std::vector<call::CallStats>& events() const { return events_; }
  // The first event for which `match` holds, if any yet.
  std::optional<call::CallStats> find(
      const std::function<bool(const call::CallStats&)>& match) const;
  // When the first event matching `match` was published.
  std::optional<SimTime> when(const std::function<bool(const call::CallStats&)>& match) const;
  std::optional<call::CallStats> ended() const;
  const std::vector<SentDatagram>& sent() const { return sent_; }
  // Keep a copy of every datagram sent (default); a long soak turns it off.
  void set_record_sent(bool record) { record_sent_ = record; }
  // The newest statistics of a call (events and the core's periodic snapshots).
  std::optional<call::CallStats> latest(call::CallId id) const;
  // This console's wall clock (initiation timestamps, "last seen") runs this far ahead of the
  // simulation's (negative: behind), as a console whose clock was set wrong.
  void set_wall_clock_offset(std::chrono::seconds offset) { wall_clock_offset_ = offset; }
  // Sound cards of calls from now on run at this rate against the simulated clock.
  void set_device_clock_rate(double rate) { device_clock_rate_ = rate; }
  // Devices made from now on claim this period (SimDevice::understate_period); 0: the truth.
  void set_device_claimed_period(std::size_t samples) { device_claimed_period_ = samples; }
  // The microphones of calls from now on hear `pcm` (once, then silence) instead of a tone.
  void set_play(audio::PcmBuffer pcm) { play_ = std::move(pcm); }
  std::uint64_t deadlines_run() const { return deadlines_run_; }
  std::vector<std::shared_ptr<SimDevice>>& devices() { return devices_; }

  // ---- CoreOutput
  bool send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) override;
  void call_changed(const call::CallStats& stats) override;
  void peer_status(const call::PeerStatus& status) override { statuses_.push_back(status); }
  void initiation_timestamp(const crypto::PublicKey&, const crypto::Tai64n&) override {}
  // Read at once, handed back at the same simulated time as the next step (never re-entered).
  void read_initiation(call::InitiationRead job) override;
  void call_snapshot(const call::CallStats& stats) override { latest_[stats.id.value] = stats; }
  void counters_snapshot(const call::EngineCounters&) override {}
  std::shared_ptr<audio::AudioDevice> open_device(const call::CallStats& call) override;
  void close_device(std::shared_ptr<audio::AudioDevice> device) override;

  const std::vector<call::PeerStatus>& statuses() const { return statuses_; }

 private:
  friend class SimNetwork;
  SimTime next_event() const;
  void run_due(SimTime now);

  SimNetwork& net_;
  std::string name_;
  asio::ip::udp::endpoint address_;
  std::shared_ptr<const crypto::Identity> identity_;
  call::EngineConfig config_;
  std::unique_ptr<call::ProtocolCore> core_;
  std::vector<call::CallStats> events_;
  std::vector<SimTime> event_times_;
  std::vector<call::PeerStatus> statuses_;
  std::vector<SentDatagram> sent_;
  std::vector<std::shared_ptr<SimDevice>> devices_;
  std::uint64_t deadlines_run_ = 0;
  bool record_sent_ = true;
  double device_clock_rate_ = 1.0;
  std::size_t device_claimed_period_ = 0;
  std::chrono::seconds wall_clock_offset_{0};
  std::optional<audio::PcmBuffer> play_;
  std::map<std::uint64_t, call::CallStats> latest_;
  std::vector<call::InitiationRead> reads_;  // read, waiting to go back to the core
};

class SimNetwork {
 public:
  explicit SimNetwork(std::uint32_t seed = 1) : rng_(seed) {}

  // Consoles get 10.0.0.N:4000 addresses (never sent to: the network is in memory).
  SimConsole& add_console(const std::string& name);
  SimTime now() const { return now_; }
  // Runs everything due up to and including `until`, then sets the clock to it.
  void run_until(SimTime until);
  void run_for(std::chrono::nanoseconds d) { run_until(now_ + d); }
  // Runs until `condition` holds (checked after every step) or `limit` passes; true if it held.
  bool run_until(const std::function<bool()>& condition, std::chrono::nanoseconds limit);

  // Impairment of datagrams from console `from` to console `to`.
  PathImpairment& path(const std::string& from, const std::string& to) {
    return paths_[{from, to}];
  }
  // Every datagram handed to the network, with when and by whom (before impairment).
  std::uint64_t delivered() const { return delivered_; }
  // Called for every datagram before impairment; returning false drops it (an attacker's or a
  // test's hand on the wire).
  std::function<bool(const SentDatagram&)> filter;
  // Injects a datagram from `from` (any address) to the console at `to`, arriving now.
  void inject(Bytes bytes, asio::ip::udp::endpoint from, asio::ip::udp::endpoint to);

 private:
  friend class SimConsole;
  struct InFlight {
    SimTime arrives;
    std::uint64_t order;
    asio::ip::udp::endpoint from;
    asio::ip::udp::endpoint to;
    Bytes bytes;
    bool operator>(const InFlight& o) const {
      return arrives != o.arrives ? arrives > o.arrives : order > o.order;
    }
  };
  void send(const SimConsole& from, ByteSpan bytes, const asio::ip::udp::endpoint& to);
  SimConsole* console_at(const asio::ip::udp::endpoint& address);

  SimTime now_ = kSimStart;
  std::mt19937 rng_;
  std::vector<std::unique_ptr<SimConsole>> consoles_;
  std::vector<InFlight> in_flight_;  // a heap on operator>
  std::uint64_t order_ = 0;
  std::uint64_t delivered_ = 0;
  std::map<std::pair<std::string, std::string>, PathImpairment> paths_;
};

}  // namespace hotline::test
