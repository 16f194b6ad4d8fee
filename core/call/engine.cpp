// The engine shell: socket, one timer and the thread around the protocol core.

#include "core/call/engine.hpp"

#include <asio.hpp>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "core/call/handshake_reader.hpp"
#include "core/call/protocol_core.hpp"
#include "core/util/error.hpp"
#include "core/util/realtime_thread.hpp"

namespace hotline::call {

namespace {

constexpr std::size_t kSnapshotsKept = 32;
constexpr int kReceiveBufferBytes = 4 << 20;
// Datagrams read in one wake-up before the loop looks at its timer and commands again.
constexpr int kDatagramsPerWakeup = 64;
// A deadline the core leaves in the past is run at most this often: a bound on the cost of a
// deadline that does not act (a bug), never reached by a correct core.
constexpr auto kMinimumWakeupGap = std::chrono::milliseconds(1);
// Failures logged in full before the log is thinned to one in kLogEvery.
constexpr std::uint64_t kFailuresLoggedInFull = 10;
constexpr std::uint64_t kLogEvery = 1000;

asio::ip::udp::socket bind_socket(asio::io_context& io, const net::Endpoint& listen) {
  asio::error_code ec;
  const auto endpoint = net::try_to_udp(listen);
  if (!endpoint) {
    throw ListenError("cannot listen on " + listen.to_string() + ": not an address of this host",
                      listen.to_string(), false);
  }
  asio::ip::udp::socket socket(io);
  socket.open(endpoint->protocol(), ec);
  if (!ec && endpoint->address().is_v6() && endpoint->address().is_unspecified()) {
    socket.set_option(asio::ip::v6_only(false), ec);  // [::] also serves IPv4 peers
  }
  if (!ec) socket.bind(*endpoint, ec);
  if (ec == asio::error::address_in_use) {
    throw ListenError("cannot listen on " + listen.to_string() +
                          ": another program (or another console) already uses this port",
                      listen.to_string(), true);
  }
  if (ec) {
    throw ListenError("cannot listen on " + listen.to_string() + ": " + ec.message(),
                      listen.to_string(), false);
  }
  socket.non_blocking(true);
  // Room for bursts (a flood, or a stall of the engine thread) before the kernel drops
  // datagrams, voice among them. The kernel caps the request at net.core.rmem_max (about
  // 416 KiB with Debian's defaults), which absorbed the flood test's bursts without a drop.
  asio::error_code ignored;
  socket.set_option(asio::socket_base::receive_buffer_size(kReceiveBufferBytes), ignored);
  return socket;
}

}  // namespace

class Engine::Shell final : public CoreOutput {
 public:
  using TimePoint = ProtocolCore::TimePoint;

  Shell(EngineConfig config, EngineListener& listener)
      : listener_(listener),
        make_device_(config.make_device),
        socket_(bind_socket(io_, config.listen)),
        timer_(io_),
        identity_(config.identity),
        core_(std::move(config), *this),
        reader_(identity_, [this](InitiationRead job) { read_done(std::move(job)); }) {}

  // ---- CoreOutput: the core's effects, carried out on the engine thread
  bool send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) override {
    asio::error_code ec;
    socket_.send_to(asio::buffer(packet.data(), packet.size()), to, 0, ec);
    return !ec;
  }
  void call_changed(const CallStats& stats) override {
    store_snapshot(stats);
    if (stats.state == CallState::kEnded) {
      listener_.on_call_ended(stats);
    } else {
      listener_.on_call_changed(stats);
    }
  }
  void peer_status(const PeerStatus& status) override { listener_.on_peer_status(status); }
  void probe_refused(const crypto::PublicKey& peer) override { listener_.on_probe_refused(peer); }
  void initiation_timestamp(const crypto::PublicKey& peer,
                            const crypto::Tai64n& timestamp) override {
    listener_.on_initiation_timestamp(peer, timestamp);
  }
  void call_snapshot(const CallStats& stats) override { store_snapshot(stats); }
  void counters_snapshot(const EngineCounters& counters) override {
    std::lock_guard lock(snapshot_mutex_);
    counters_snapshot_ = counters;
  }
  std::shared_ptr<audio::AudioDevice> open_device(const CallStats& call) override {
    if (!make_device_) return nullptr;
    auto device = make_device_(call);
    if (device) device->start();
    return device;
  }
  void close_device(std::shared_ptr<audio::AudioDevice> device) override { device->stop(); }
  void read_initiation(InitiationRead job) override {
    if (!reader_.submit(std::move(job))) core_.count_unread_initiation();
  }

  // ---- the loop
  void start() {
    if (thread_.joinable()) return;
    start_receive();
    rearm();
    thread_ = std::thread([this] {
      name_this_thread("hotline-engine");
      request_realtime_priority();
      // The handlers carry their own error boundary; this one catches what escapes Asio itself.
      while (true) {
        try {
          io_.run();
          return;
        } catch (const std::exception& e) {
          failed("the event loop", e.what());
        } catch (...) {
          failed("the event loop", "unknown exception");
        }
      }
    });
  }

  void stop() {
    if (!thread_.joinable()) return;
    command([](ProtocolCore& core, TimePoint now) { core.begin_shutdown(now); });
    thread_.join();
  }

  // Runs `f(core, now)` on the engine thread, under the error boundary.
  template <typename F>
  void command(F f) {
    asio::post(io_, [this, f = std::move(f)]() mutable {
      wakeups_.fetch_add(1, std::memory_order_relaxed);
      guarded("a command", [&] { f(core_, Clock::now()); });
      rearm();
    });
  }

  ProtocolCore& core() { return core_; }  // engine thread only (allocate_call_id: any)
  net::Endpoint local_endpoint() const { return net::from_udp(socket_.local_endpoint()); }
  std::uint64_t wakeups() const { return wakeups_.load(std::memory_order_relaxed); }

  EngineCounters counters() const {
    std::lock_guard lock(snapshot_mutex_);
    return counters_snapshot_;
  }
  std::optional<CallStats> call_stats(CallId id) const {
    std::lock_guard lock(snapshot_mutex_);
    auto it = snapshots_.find(id.value);
    if (it == snapshots_.end()) return std::nullopt;
    return it->second;
  }

 private:
  template <typename F>
  void guarded(const char* what, F&& f) noexcept {
    try {
      f();
    } catch (const std::exception& e) {
      failed(what, e.what());
    } catch (...) {
      failed(what, "unknown exception");
    }
  }

  void failed(const char* what, const char* why) noexcept {
    core_.count_internal_error();
    const std::uint64_t n = ++failures_;
    // Exception texts name addresses and states, never keys (docs/security.md).
    if (n <= kFailuresLoggedInFull || n % kLogEvery == 0) {
      std::fprintf(stderr, "hotline: engine: %s failed (%llu so far): %s; carrying on\n", what,
                   static_cast<unsigned long long>(n), why);
    }
  }

  void start_receive() {
    socket_.async_receive_from(
        asio::buffer(receive_buffer_), receive_from_,
        [this](const asio::error_code& ec, std::size_t n) {
          if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
          wakeups_.fetch_add(1, std::memory_order_relaxed);
          const auto now = Clock::now();
          if (!ec) deliver(n, now);
          // Drain what else is queued before sleeping again: one wake-up per burst.
          for (int i = 1; i < kDatagramsPerWakeup && socket_.is_open(); ++i) {
            asio::error_code more;
            const std::size_t m =
                socket_.receive_from(asio::buffer(receive_buffer_), receive_from_, 0, more);
            if (more) break;
            deliver(m, now);
          }
          rearm();
          if (socket_.is_open()) start_receive();
        });
  }

  // On the reader's thread: back to the engine thread with it.
  void read_done(InitiationRead job) {
    asio::post(io_, [this, job = std::move(job)]() mutable {
      wakeups_.fetch_add(1, std::memory_order_relaxed);
      guarded("an initiation", [&] { core_.on_initiation_read(std::move(job), Clock::now()); });
      rearm();
    });
  }

  void deliver(std::size_t n, TimePoint now) {
    guarded("a datagram",
            [&] { core_.on_datagram(ByteSpan(receive_buffer_.data(), n), receive_from_, now); });
  }

  // Sleeps until the core's next deadline (the timer is moved only when that comes earlier
  // than the time it is set for); closes down once the core has finished.
  void rearm() {
    if (core_.finished()) {
      asio::error_code ignored;
      timer_.cancel();
      socket_.close(ignored);
      io_.stop();
      return;
    }
    TimePoint due = core_.next_deadline();
    if (due == ProtocolCore::kNever) return;
    // Clamped before it is compared, so a deadline already armed at the clamped time is not
    // cancelled and re-armed at the same instant.
    due = std::max(due, last_deadline_run_ + kMinimumWakeupGap);
    if (due >= armed_) return;
    armed_ = due;
    timer_.expires_at(due);
    timer_.async_wait([this](const asio::error_code& ec) {
      if (ec) return;  // moved earlier, or shutting down
      armed_ = ProtocolCore::kNever;
      wakeups_.fetch_add(1, std::memory_order_relaxed);
      const auto now = Clock::now();
      last_deadline_run_ = now;
      guarded("a deadline", [&] { core_.on_deadline(now); });
      rearm();
    });
  }

  void store_snapshot(const CallStats& stats) {
    std::lock_guard lock(snapshot_mutex_);
    snapshots_[stats.id.value] = stats;
    while (snapshots_.size() > kSnapshotsKept) snapshots_.erase(snapshots_.begin());
  }

  EngineListener& listener_;
  const std::function<std::shared_ptr<audio::AudioDevice>(const CallStats&)> make_device_;
  asio::io_context io_;
  asio::ip::udp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<const crypto::Identity> identity_;
  ProtocolCore core_;
  HandshakeReader reader_;  // after io_ and core_: it is stopped before they go
  std::thread thread_;
  TimePoint armed_ = ProtocolCore::kNever;
  TimePoint last_deadline_run_{};
  std::atomic<std::uint64_t> wakeups_{0};
  std::uint64_t failures_ = 0;

  std::array<std::uint8_t, 2048> receive_buffer_{};
  asio::ip::udp::endpoint receive_from_;

  mutable std::mutex snapshot_mutex_;  // guards the two members below
  std::map<std::uint64_t, CallStats> snapshots_;
  EngineCounters counters_snapshot_;
};

// ---- public API: every call is posted to the engine thread ----------------------------------

Engine::Engine(EngineConfig config, EngineListener& listener)
    : shell_(std::make_unique<Shell>(std::move(config), listener)) {}

Engine::~Engine() {
  stop();
}

void Engine::start() {
  shell_->start();
}

void Engine::stop() {
  if (shell_) shell_->stop();
}

net::Endpoint Engine::local_endpoint() const {
  return shell_->local_endpoint();
}

CallId Engine::call(const std::string& peer_name, const CallOptions& options) {
  const CallId id = shell_->core().allocate_call_id();
  shell_->command([id, peer_name, options](ProtocolCore& core, Clock::time_point now) {
    core.place_call(id, peer_name, options, now);
  });
  return id;
}

void Engine::answer(CallId id) {
  shell_->command([id](ProtocolCore& core, Clock::time_point now) { core.answer(id, now); });
}

void Engine::decline(CallId id) {
  shell_->command([id](ProtocolCore& core, Clock::time_point now) { core.decline(id, now); });
}

void Engine::hangup(CallId id) {
  shell_->command([id](ProtocolCore& core, Clock::time_point now) { core.hangup(id, now); });
}

void Engine::set_muted(CallId id, bool muted) {
  shell_->command(
      [id, muted](ProtocolCore& core, Clock::time_point) { core.set_muted(id, muted); });
}

void Engine::set_output_volume(double volume) {
  shell_->command(
      [volume](ProtocolCore& core, Clock::time_point) { core.set_output_volume(volume); });
}

void Engine::report_sas_mismatch(CallId id) {
  shell_->command(
      [id](ProtocolCore& core, Clock::time_point now) { core.report_sas_mismatch(id, now); });
}

void Engine::confirm_sas(CallId id) {
  shell_->command([id](ProtocolCore& core, Clock::time_point now) { core.confirm_sas(id, now); });
}

void Engine::update_peers(std::vector<PeerEntry> peers) {
  auto shared = std::make_shared<std::vector<PeerEntry>>(std::move(peers));
  shell_->command(
      [shared](ProtocolCore& core, Clock::time_point) { core.set_peers(std::move(*shared)); });
}

EngineCounters Engine::counters() const {
  return shell_->counters();
}

std::optional<CallStats> Engine::call_stats(CallId id) const {
  return shell_->call_stats(id);
}

std::uint64_t Engine::wakeups() const {
  return shell_->wakeups();
}

}  // namespace hotline::call
