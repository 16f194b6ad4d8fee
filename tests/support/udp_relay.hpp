#pragma once
// A user-space UDP impairment relay for loopback tests (the test kernel has no netem).
//
//   client (console A) ──► front socket ──[client_to_target]──► per-client socket ──► target (B)
//   client (console A) ◄── front socket ◄─[target_to_client]─── per-client socket ◄── target (B)
//
// A console is given endpoint() as its peer's address. Every distinct client source address gets
// its own relay socket towards `target`, so the target sees one stable source per client (until
// rebind_client_side()), exactly as it would behind a NAT.
//
// Each direction has its own Impairment and its own seeded std::mt19937_64, so the drop/delay
// decisions for a given sequence of packets in one direction are reproducible from the seed
// regardless of how the two directions interleave in time.
//
// Per packet, in this order: outage -> Gilbert-Elliott burst state -> random loss -> delay with
// jitter -> reorder hold-back -> duplication (the copy is delivered right after the original).
// Jitter alone can reorder packets, as with netem. Packets still in the delay queue when an
// outage starts are dropped when they fall due (a dead link also loses what is in flight).

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <thread>
#include <vector>

namespace hotline::test {

struct Impairment {
  double loss = 0;  // probability per packet, independent of the burst model
  // Gilbert-Elliott: each packet first moves good->bad with burst_loss_enter or bad->good with
  // burst_loss_exit; every packet in the bad state is lost. Mean burst length = 1/exit.
  double burst_loss_enter = 0;
  double burst_loss_exit = 1;
  std::chrono::microseconds delay{0};
  std::chrono::microseconds jitter{0};  // uniform in [-jitter, +jitter], total clamped at >= 0
  double reorder = 0;                   // probability a packet is held back by reorder_delay
  std::chrono::microseconds reorder_delay{std::chrono::milliseconds(20)};
  double duplicate = 0;  // probability that one extra copy is sent
};

enum class Direction { client_to_target, target_to_client };

struct DirectionCounters {
  std::uint64_t received = 0;        // datagrams that entered the relay in this direction
  std::uint64_t forwarded = 0;       // datagrams sent on successfully (duplicate copies included)
  std::uint64_t dropped_loss = 0;    // random loss and Gilbert-Elliott bursts
  std::uint64_t dropped_outage = 0;  // on arrival or, if already queued, when due
  std::uint64_t duplicated = 0;      // extra copies created
  std::uint64_t reordered = 0;       // packets held back by reorder_delay
  std::uint64_t send_failed = 0;     // the kernel refused the send

  // True when nothing is queued in the relay for this direction.
  bool idle() const {
    return forwarded + send_failed + dropped_loss + dropped_outage == received + duplicated;
  }
};

struct RelayCounters {
  DirectionCounters client_to_target;
  DirectionCounters target_to_client;
};

class UdpRelay {
 public:
  // `target` must be a loopback address (127.0.0.1 or ::1); the front socket is bound to an
  // ephemeral port on the same loopback address. Throws std::invalid_argument on a
  // non-loopback target or an invalid Impairment, std::system_error if binding fails.
  UdpRelay(asio::ip::udp::endpoint target, Impairment both_directions, std::uint64_t seed);
  UdpRelay(asio::ip::udp::endpoint target, Impairment client_to_target, Impairment target_to_client,
           std::uint64_t seed);
  ~UdpRelay();  // stops the thread and closes every socket
  UdpRelay(const UdpRelay&) = delete;
  UdpRelay& operator=(const UdpRelay&) = delete;

  // The address a console should use as its peer's address. Valid from construction on.
  asio::ip::udp::endpoint endpoint() const { return front_endpoint_; }
  asio::ip::udp::endpoint target() const { return target_; }

  // Starts/stops the relay's io thread. Both are idempotent; start() after stop() resumes with
  // the same sockets, sessions and queued packets. Datagrams arriving while stopped wait in the
  // kernel's socket buffers.
  void start();
  void stop();

  // Thread-safe runtime controls. set_impairment also resets the burst model to the good state.
  void set_impairment(const Impairment& both_directions);
  void set_impairment(Direction direction, const Impairment& config);
  Impairment impairment(Direction direction) const;
  void set_outage(bool down);  // drop everything, both ways, until set_outage(false)
  bool outage() const;
  // Every client gets a new relay socket (new source port towards `target`); the old socket is
  // closed, so replies the target still sends to the old port are lost, as after a NAT rebind.
  // Returns once the new sockets are in place. Must not be called from the relay's own thread.
  void rebind_client_side();
  RelayCounters counters() const;
  // The last packets (at most 64) that entered the relay in `direction`, oldest first: genuine
  // traffic a test can replay at a console.
  std::vector<std::vector<std::uint8_t>> recent_packets(Direction direction) const;

 private:
  using Clock = std::chrono::steady_clock;
  using Payload = std::shared_ptr<const std::vector<std::uint8_t>>;

  // One relay socket towards the target. Replaced (not reused) on rebind so a completion still
  // queued for the old socket can never scribble over the new socket's buffer.
  struct ClientLink {
    explicit ClientLink(asio::io_context& io) : socket(io) {}
    asio::ip::udp::socket socket;
    asio::ip::udp::endpoint client;  // the front-side address this link serves
    asio::ip::udp::endpoint sender;
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(65536);
  };

  struct DirectionState {
    Impairment config;
    std::mt19937_64 rng;
    bool burst_bad = false;
    DirectionCounters counters;
    std::vector<Payload> recent;  // ring of the last kRecentKept packets
    std::size_t recent_next = 0;
  };
  static constexpr std::size_t kRecentKept = 64;

  struct Scheduled {
    Clock::time_point due;
    std::uint64_t order;  // FIFO among equal due times (keeps a duplicate after its original)
    Direction direction;
    asio::ip::udp::endpoint client;
    Payload payload;
  };
  struct LaterFirst {
    bool operator()(const Scheduled& a, const Scheduled& b) const {
      return a.due != b.due ? a.due > b.due : a.order > b.order;
    }
  };

  DirectionState& state(Direction direction);
  const DirectionState& state(Direction direction) const;
  double unit(DirectionState& s);  // uniform in [0, 1), portable across standard libraries

  void receive_front();
  void receive_link(const std::shared_ptr<ClientLink>& link);
  std::shared_ptr<ClientLink> open_link(const asio::ip::udp::endpoint& client);
  std::shared_ptr<ClientLink> link_for(const asio::ip::udp::endpoint& client);
  void admit(Direction direction, const asio::ip::udp::endpoint& client, Payload payload);
  void schedule(Scheduled packet);
  void arm_timer(Clock::time_point due);
  void deliver_due();
  void send(Direction direction, const asio::ip::udp::endpoint& client, Payload payload);
  void count(Direction direction, std::uint64_t DirectionCounters::*field);
  void do_rebind();
  void teardown();

  // Declared first so it outlives every socket and timer below.
  asio::io_context io_;
  asio::ip::udp::endpoint target_;
  asio::ip::udp::endpoint front_endpoint_;
  asio::ip::udp::socket front_;
  asio::ip::udp::endpoint front_sender_;
  std::vector<std::uint8_t> front_buffer_ = std::vector<std::uint8_t>(65536);
  asio::steady_timer timer_;
  bool timer_armed_ = false;
  Clock::time_point armed_for_{};

  // Touched only on the io thread (or inline while no io thread runs, under lifecycle_mutex_).
  std::map<asio::ip::udp::endpoint, std::shared_ptr<ClientLink>> links_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, LaterFirst> queue_;
  std::uint64_t next_order_ = 0;
  bool receiving_ = false;
  bool closing_ = false;  // set by the destructor: completions still queued do nothing

  mutable std::mutex mutex_;  // guards the two DirectionStates and outage_
  DirectionState client_to_target_;
  DirectionState target_to_client_;
  bool outage_ = false;

  std::mutex lifecycle_mutex_;  // serialises start/stop/rebind
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace hotline::test
