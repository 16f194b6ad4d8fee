#include "tests/support/sim_network.hpp"

#include <algorithm>
#include <stdexcept>

namespace hotline::test {

namespace {

// The simulated wall clock: a fixed date plus the simulated time since kSimStart.
constexpr std::int64_t kSimUnixStart = 1'800'000'000;
// Steps allowed at one instant before the simulation calls it a busy loop: a core whose
// deadline stays in the past after it ran would wake its real shell without end.
constexpr int kMaxStepsAtOneInstant = 1000;

std::chrono::nanoseconds since_start(SimTime t) {
  return t - kSimStart;
}

}  // namespace

SimConsole::SimConsole(SimNetwork& net, std::string name, asio::ip::udp::endpoint address)
    : net_(net),
      name_(std::move(name)),
      address_(address),
      identity_(std::make_shared<const crypto::Identity>(crypto::Identity::generate())) {
  config_.identity = identity_;
  config_.listen = net::from_udp(address_);
  config_.wall_clock.tai64n = [this] {
    const auto ns = since_start(net_.now()).count();
    return crypto::tai64n_from_unix(kSimUnixStart + wall_clock_offset_.count() + ns / 1'000'000'000,
                                    static_cast<std::uint32_t>(ns % 1'000'000'000));
  };
  config_.wall_clock.unix_ms = [this] {
    return (kSimUnixStart + wall_clock_offset_.count()) * 1000 +
           std::chrono::duration_cast<std::chrono::milliseconds>(since_start(net_.now())).count();
  };
  config_.voice.echo_cancellation = false;  // the tone would be cancelled as its own echo
  config_.voice.noise_suppression = false;
  // The protocol is under test, not the codec: its cheapest setting lets a simulated hour of
  // calls run in seconds. Same packet sizes (CBR), same FEC.
  config_.voice.encoder_complexity = 0;
}

std::shared_ptr<audio::AudioDevice> SimConsole::open_device(const call::CallStats&) {
  auto device = play_ ? std::make_shared<SimDevice>(std::make_unique<audio::PcmSource>(*play_),
                                                    device_clock_rate_)
                      : std::make_shared<SimDevice>(440.0, device_clock_rate_);
  if (device_claimed_period_ != 0) device->understate_period(device_claimed_period_);
  device->start();
  devices_.push_back(device);
  return device;
}

void SimConsole::close_device(std::shared_ptr<audio::AudioDevice> device) {
  device->stop();
}

void SimConsole::add_peer(const SimConsole& other, bool enabled) {
  call::PeerEntry entry;
  entry.name = other.name();
  entry.public_key = other.identity().public_key();
  entry.endpoints.push_back(net::from_udp(other.address()));
  entry.enabled = enabled;
  entry.verified = true;
  config_.peers.push_back(std::move(entry));
}

void SimConsole::start() {
  core_ = std::make_unique<call::ProtocolCore>(config_, *this);
}

call::CallId SimConsole::call(const std::string& peer, call::CallOptions options) {
  const auto id = core_->allocate_call_id();
  core_->place_call(id, peer, options, net_.now());
  return id;
}

void SimConsole::answer(call::CallId id) {
  core_->answer(id, net_.now());
}

void SimConsole::hangup(call::CallId id) {
  core_->hangup(id, net_.now());
}

std::optional<call::CallStats> SimConsole::find(
    const std::function<bool(const call::CallStats&)>& match) const {
  for (const auto& e : events_) {
    if (match(e)) return e;
  }
  return std::nullopt;
}

std::optional<SimTime> SimConsole::when(
    const std::function<bool(const call::CallStats&)>& match) const {
  for (std::size_t i = 0; i < events_.size(); ++i) {
    if (match(events_[i])) return event_times_[i];
  }
  return std::nullopt;
}

std::optional<call::CallStats> SimConsole::ended() const {
  return find([](const call::CallStats& s) { return s.state == call::CallState::kEnded; });
}

bool SimConsole::send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) {
  if (record_sent_) sent_.push_back({net_.now(), name_, to, Bytes(packet.begin(), packet.end())});
  net_.send(*this, packet, to);
  return true;
}

std::optional<call::CallStats> SimConsole::latest(call::CallId id) const {
  const auto it = latest_.find(id.value);
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

void SimConsole::call_changed(const call::CallStats& stats) {
  latest_[stats.id.value] = stats;
  events_.push_back(stats);
  event_times_.push_back(net_.now());
}

void SimConsole::read_initiation(call::InitiationRead job) {
  call::run_initiation_read(job, *identity_);
  reads_.push_back(std::move(job));
}

SimTime SimConsole::next_event() const {
  if (!reads_.empty()) return net_.now();
  SimTime due = core_ ? core_->next_deadline() : call::ProtocolCore::kNever;
  for (const auto& d : devices_) due = std::min(due, d->next_period());
  return due;
}

void SimConsole::run_due(SimTime now) {
  auto reads = std::move(reads_);
  reads_.clear();
  for (auto& job : reads) core_->on_initiation_read(std::move(job), now);
  for (const auto& d : devices_) d->advance_to(now);
  if (core_ && core_->next_deadline() <= now) {
    ++deadlines_run_;
    core_->on_deadline(now);
  }
}

SimConsole& SimNetwork::add_console(const std::string& name) {
  const auto n = static_cast<unsigned>(consoles_.size() + 1);
  const asio::ip::udp::endpoint address(asio::ip::make_address_v4(0x7f000100u + n), 4000);
  consoles_.push_back(std::make_unique<SimConsole>(*this, name, address));
  return *consoles_.back();
}

SimConsole* SimNetwork::console_at(const asio::ip::udp::endpoint& address) {
  for (auto& c : consoles_) {
    if (c->address() == address) return c.get();
  }
  return nullptr;
}

void SimNetwork::send(const SimConsole& from, ByteSpan bytes, const asio::ip::udp::endpoint& to) {
  SentDatagram d{now_, from.name(), to, Bytes(bytes.begin(), bytes.end())};
  if (filter && !filter(d)) return;
  SimConsole* target = console_at(to);
  if (target == nullptr) return;  // nobody there
  PathImpairment& p = paths_[{from.name(), target->name()}];
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (p.burst_bad) {
    if (unit(rng_) < p.burst_loss_exit) p.burst_bad = false;
  } else if (p.burst_loss_enter > 0 && unit(rng_) < p.burst_loss_enter) {
    p.burst_bad = true;
  }
  if (p.blackout || p.burst_bad || (p.loss > 0 && unit(rng_) < p.loss)) return;
  const int copies = (p.duplicate > 0 && unit(rng_) < p.duplicate) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    auto delay = p.delay;
    if (p.reorder > 0 && unit(rng_) < p.reorder) delay += p.reorder_delay;
    if (p.jitter.count() > 0) {
      delay += std::chrono::microseconds(
          std::uniform_int_distribution<std::int64_t>(0, p.jitter.count())(rng_));
    }
    in_flight_.push_back({now_ + delay, order_++, from.address(), to, d.bytes});
    std::push_heap(in_flight_.begin(), in_flight_.end(), std::greater<>());
  }
}

void SimNetwork::inject(Bytes bytes, asio::ip::udp::endpoint from, asio::ip::udp::endpoint to) {
  in_flight_.push_back({now_, order_++, from, to, std::move(bytes)});
  std::push_heap(in_flight_.begin(), in_flight_.end(), std::greater<>());
}

void SimNetwork::run_until(SimTime until) {
  run_until([] { return false; }, until - now_);
  now_ = std::max(now_, until);
}

bool SimNetwork::run_until(const std::function<bool()>& condition, std::chrono::nanoseconds limit) {
  const SimTime until = now_ + limit;
  SimTime previous = now_;
  int steps_here = 0;
  while (!condition()) {
    SimTime next = SimTime::max();
    if (!in_flight_.empty()) next = in_flight_.front().arrives;
    for (const auto& c : consoles_) next = std::min(next, c->next_event());
    if (next > until) {
      now_ = until;
      return false;
    }
    now_ = std::max(now_, next);
    if (now_ == previous) {
      if (++steps_here > kMaxStepsAtOneInstant) {
        throw std::runtime_error("simulation: a deadline stays due after it ran (busy loop)");
      }
    } else {
      previous = now_;
      steps_here = 0;
    }
    while (!in_flight_.empty() && in_flight_.front().arrives <= now_) {
      std::pop_heap(in_flight_.begin(), in_flight_.end(), std::greater<>());
      InFlight d = std::move(in_flight_.back());
      in_flight_.pop_back();
      if (SimConsole* target = console_at(d.to); target && target->core_) {
        ++delivered_;
        target->core_->on_datagram(d.bytes, d.from, now_);
      }
    }
    for (auto& c : consoles_) c->run_due(now_);
  }
  return true;
}

}  // namespace hotline::test
