#include "tests/support/udp_relay.hpp"

#include <cmath>
#include <future>
#include <stdexcept>
#include <string>
#include <utility>

namespace hotline::test {

namespace {

using asio::ip::udp;

// Room for a bigger burst than the kernel default before loopback starts dropping; best effort.
constexpr int kSocketBufferBytes = 1 << 20;

void check_probability(double p, const char* name) {
  if (!std::isfinite(p) || p < 0.0 || p > 1.0) {
    throw std::invalid_argument(std::string("UdpRelay: ") + name + " must be in [0, 1]");
  }
}

void validate(const Impairment& c) {
  check_probability(c.loss, "loss");
  check_probability(c.burst_loss_enter, "burst_loss_enter");
  check_probability(c.burst_loss_exit, "burst_loss_exit");
  check_probability(c.reorder, "reorder");
  check_probability(c.duplicate, "duplicate");
  if (c.delay.count() < 0 || c.jitter.count() < 0 || c.reorder_delay.count() < 0) {
    throw std::invalid_argument("UdpRelay: delay, jitter and reorder_delay must not be negative");
  }
}

void enlarge_buffers(udp::socket& socket) {
  asio::error_code ignored;
  socket.set_option(asio::socket_base::receive_buffer_size(kSocketBufferBytes), ignored);
  socket.set_option(asio::socket_base::send_buffer_size(kSocketBufferBytes), ignored);
}

// Different streams per direction, both fixed by the one seed.
constexpr std::uint64_t kTargetToClientSeedMix = 0x9E3779B97F4A7C15ULL;

}  // namespace

UdpRelay::UdpRelay(udp::endpoint target, Impairment both_directions, std::uint64_t seed)
    : UdpRelay(target, both_directions, both_directions, seed) {}

UdpRelay::UdpRelay(udp::endpoint target, Impairment client_to_target, Impairment target_to_client,
                   std::uint64_t seed)
    : target_(target), front_(io_), timer_(io_) {
  if (!target.address().is_loopback()) {
    throw std::invalid_argument("UdpRelay: target must be a loopback address, got " +
                                target.address().to_string());
  }
  if (target.port() == 0) throw std::invalid_argument("UdpRelay: target port must not be 0");
  validate(client_to_target);
  validate(target_to_client);
  client_to_target_.config = client_to_target;
  client_to_target_.rng.seed(seed);
  target_to_client_.config = target_to_client;
  target_to_client_.rng.seed(seed ^ kTargetToClientSeedMix);

  front_.open(target.protocol());
  front_.bind(udp::endpoint(target.address(), 0));
  enlarge_buffers(front_);
  front_endpoint_ = front_.local_endpoint();
}

UdpRelay::~UdpRelay() {
  stop();
  teardown();
}

void UdpRelay::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (thread_.joinable()) return;
  if (!receiving_) {
    receiving_ = true;
    receive_front();
  }
  io_.restart();
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void UdpRelay::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
  work_.reset();
}

// Runs with no io thread alive: close everything, then let the aborted completions run so no
// handler (and the sockets it keeps alive) outlives the io_context's services.
void UdpRelay::teardown() {
  closing_ = true;
  asio::error_code ignored;
  timer_.cancel();
  front_.close(ignored);
  for (auto& [client, link] : links_) link->socket.close(ignored);
  links_.clear();
  queue_ = {};
  io_.restart();
  io_.poll();
}

void UdpRelay::set_impairment(const Impairment& both_directions) {
  validate(both_directions);
  std::lock_guard lock(mutex_);
  for (DirectionState* s : {&client_to_target_, &target_to_client_}) {
    s->config = both_directions;
    s->burst_bad = false;
  }
}

void UdpRelay::set_impairment(Direction direction, const Impairment& config) {
  validate(config);
  std::lock_guard lock(mutex_);
  state(direction).config = config;
  state(direction).burst_bad = false;
}

Impairment UdpRelay::impairment(Direction direction) const {
  std::lock_guard lock(mutex_);
  return state(direction).config;
}

void UdpRelay::set_outage(bool down) {
  std::lock_guard lock(mutex_);
  outage_ = down;
}

bool UdpRelay::outage() const {
  std::lock_guard lock(mutex_);
  return outage_;
}

RelayCounters UdpRelay::counters() const {
  std::lock_guard lock(mutex_);
  return {client_to_target_.counters, target_to_client_.counters};
}

void UdpRelay::rebind_client_side() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (!thread_.joinable()) {  // nothing else touches the links while no io thread runs
    do_rebind();
    return;
  }
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    do_rebind();
    done.set_value();
  });
  done.get_future().wait();
}

void UdpRelay::do_rebind() {
  for (auto& [client, link] : links_) {
    std::shared_ptr<ClientLink> fresh = open_link(client);
    if (!fresh) continue;  // out of sockets: keep the old port rather than lose the client
    asio::error_code ignored;
    link->socket.close(ignored);
    link = std::move(fresh);
    receive_link(link);
  }
}

UdpRelay::DirectionState& UdpRelay::state(Direction direction) {
  return direction == Direction::client_to_target ? client_to_target_ : target_to_client_;
}

const UdpRelay::DirectionState& UdpRelay::state(Direction direction) const {
  return direction == Direction::client_to_target ? client_to_target_ : target_to_client_;
}

double UdpRelay::unit(DirectionState& s) {
  return static_cast<double>(s.rng() >> 11) * 0x1.0p-53;
}

void UdpRelay::count(Direction direction, std::uint64_t DirectionCounters::*field) {
  std::lock_guard lock(mutex_);
  ++(state(direction).counters.*field);
}

std::vector<std::vector<std::uint8_t>> UdpRelay::recent_packets(Direction direction) const {
  std::lock_guard lock(mutex_);
  const DirectionState& s = state(direction);
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t i = 0; i < s.recent.size(); ++i)
    out.push_back(*s.recent[(s.recent_next + i) % s.recent.size()]);
  return out;
}

void UdpRelay::receive_front() {
  front_.async_receive_from(
      asio::buffer(front_buffer_), front_sender_, [this](asio::error_code ec, std::size_t size) {
        if (ec == asio::error::operation_aborted || closing_) return;
        if (!ec) {
          auto payload = std::make_shared<const std::vector<std::uint8_t>>(
              front_buffer_.begin(), front_buffer_.begin() + static_cast<std::ptrdiff_t>(size));
          admit(Direction::client_to_target, front_sender_, std::move(payload));
        }
        // Other errors (e.g. a queued ICMP "port unreachable") concern one datagram only.
        if (front_.is_open()) receive_front();
      });
}

void UdpRelay::receive_link(const std::shared_ptr<ClientLink>& link) {
  link->socket.async_receive_from(
      asio::buffer(link->buffer), link->sender,
      [this, link](asio::error_code ec, std::size_t size) {
        if (ec == asio::error::operation_aborted || closing_) return;
        if (!ec && link->sender == target_) {  // anyone else is not part of this call
          auto payload = std::make_shared<const std::vector<std::uint8_t>>(
              link->buffer.begin(), link->buffer.begin() + static_cast<std::ptrdiff_t>(size));
          admit(Direction::target_to_client, link->client, std::move(payload));
        }
        if (link->socket.is_open()) receive_link(link);
      });
}

std::shared_ptr<UdpRelay::ClientLink> UdpRelay::open_link(const udp::endpoint& client) {
  auto link = std::make_shared<ClientLink>(io_);
  link->client = client;
  asio::error_code ec;
  link->socket.open(target_.protocol(), ec);
  if (!ec) link->socket.bind(udp::endpoint(target_.address(), 0), ec);
  if (ec) return nullptr;
  enlarge_buffers(link->socket);
  return link;
}

// Links are created when the first packet of a client actually leaves towards the target, like
// a NAT mapping.
std::shared_ptr<UdpRelay::ClientLink> UdpRelay::link_for(const udp::endpoint& client) {
  auto found = links_.find(client);
  if (found != links_.end()) return found->second;
  std::shared_ptr<ClientLink> link = open_link(client);
  if (!link) return nullptr;
  links_.emplace(client, link);
  receive_link(link);
  return link;
}

void UdpRelay::admit(Direction direction, const udp::endpoint& client, Payload payload) {
  std::chrono::microseconds delay{0};
  int copies = 1;
  {
    std::lock_guard lock(mutex_);
    DirectionState& s = state(direction);
    const Impairment& c = s.config;
    ++s.counters.received;
    if (s.recent.size() < kRecentKept) {
      s.recent.push_back(payload);
    } else {
      s.recent[s.recent_next] = payload;
    }
    s.recent_next = (s.recent_next + 1) % kRecentKept;
    if (outage_) {
      ++s.counters.dropped_outage;
      return;
    }
    if (s.burst_bad) {
      if (unit(s) < c.burst_loss_exit) s.burst_bad = false;
    } else if (c.burst_loss_enter > 0 && unit(s) < c.burst_loss_enter) {
      s.burst_bad = true;
    }
    if (s.burst_bad || (c.loss > 0 && unit(s) < c.loss)) {
      ++s.counters.dropped_loss;
      return;
    }
    delay = c.delay;
    if (c.jitter.count() > 0) {
      const auto span = static_cast<std::uint64_t>(c.jitter.count()) * 2 + 1;
      const auto offset = static_cast<std::int64_t>(s.rng() % span) - c.jitter.count();
      delay = std::max(std::chrono::microseconds{0}, delay + std::chrono::microseconds{offset});
    }
    if (c.reorder > 0 && unit(s) < c.reorder) {
      delay += c.reorder_delay;
      ++s.counters.reordered;
    }
    if (c.duplicate > 0 && unit(s) < c.duplicate) {
      copies = 2;
      ++s.counters.duplicated;
    }
  }
  if (delay.count() == 0) {
    for (int i = 0; i < copies; ++i) send(direction, client, payload);
    return;
  }
  const Clock::time_point due = Clock::now() + delay;
  for (int i = 0; i < copies; ++i) schedule({due, next_order_++, direction, client, payload});
}

void UdpRelay::schedule(Scheduled packet) {
  const Clock::time_point due = packet.due;
  queue_.push(std::move(packet));
  if (!timer_armed_ || due < armed_for_) arm_timer(due);
}

void UdpRelay::arm_timer(Clock::time_point due) {
  timer_armed_ = true;
  armed_for_ = due;
  timer_.expires_at(due);  // cancels an earlier wait, whose handler then sees operation_aborted
  timer_.async_wait([this](asio::error_code ec) {
    if (ec == asio::error::operation_aborted || closing_) return;
    deliver_due();
  });
}

void UdpRelay::deliver_due() {
  timer_armed_ = false;
  const Clock::time_point now = Clock::now();
  while (!queue_.empty() && queue_.top().due <= now) {
    Scheduled packet = queue_.top();
    queue_.pop();
    send(packet.direction, packet.client, std::move(packet.payload));
  }
  if (!queue_.empty()) arm_timer(queue_.top().due);
}

void UdpRelay::send(Direction direction, const udp::endpoint& client, Payload payload) {
  if (outage()) {
    count(direction, &DirectionCounters::dropped_outage);
    return;
  }
  std::shared_ptr<ClientLink> link;
  udp::socket* socket = &front_;
  udp::endpoint to = client;
  if (direction == Direction::client_to_target) {
    link = link_for(client);
    if (!link) {
      count(direction, &DirectionCounters::send_failed);
      return;
    }
    socket = &link->socket;
    to = target_;
  }
  const asio::const_buffer data = asio::buffer(*payload);
  // The handler owns the payload and the link, so both outlive the asynchronous send.
  socket->async_send_to(
      data, to,
      [this, direction, payload = std::move(payload), link = std::move(link)](asio::error_code ec,
                                                                              std::size_t) {
        count(direction, ec ? &DirectionCounters::send_failed : &DirectionCounters::forwarded);
      });
}

}  // namespace hotline::test
