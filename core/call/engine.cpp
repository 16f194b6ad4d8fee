#include "core/call/engine.hpp"

#include <sodium.h>

#include "core/call/engine_core.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/util/error.hpp"
#include "core/util/realtime_thread.hpp"

namespace hotline::call {

namespace {

constexpr std::size_t kSnapshotsKept = 32;
constexpr int kReceiveBufferBytes = 4 << 20;

asio::ip::udp::socket bind_socket(asio::io_context& io, const net::Endpoint& listen) {
  const asio::ip::udp::endpoint endpoint = net::to_udp(listen);
  asio::ip::udp::socket socket(io);
  asio::error_code ec;
  socket.open(endpoint.protocol(), ec);
  if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified()) {
    socket.set_option(asio::ip::v6_only(false), ec);  // [::] also serves IPv4 peers
  }
  if (!ec) socket.bind(endpoint, ec);
  if (ec) {
    throw Error("cannot listen on " + listen.to_string() + ": " + ec.message());
  }
  socket.non_blocking(true);
  // Room for bursts (a flood, or a stall of the engine thread) before the kernel drops
  // datagrams, voice among them. The kernel caps the request at net.core.rmem_max (about
  // 416 KiB with Debian's defaults), which absorbed the flood test's bursts without a drop.
  asio::error_code ignored;
  socket.set_option(asio::socket_base::receive_buffer_size(kReceiveBufferBytes), ignored);
  return socket;
}

const crypto::Identity& require_identity(const EngineConfig& config) {
  if (!config.identity) throw Error("engine started without an identity");
  return *config.identity;
}

}  // namespace

Engine::Core::Core(EngineConfig config, EngineListener& listener)
    : config_(std::move(config)),
      listener_(listener),
      socket_(bind_socket(io_, config_.listen)),
      tick_timer_(io_),
      own_mac_key_(require_identity(config_).dh_public()),
      per_source_({wire::kInitiationsPerSecondPerSource, wire::kInitiationBurstPerSource}),
      per_peer_({wire::kInitiationsPerSecondPerPeer, wire::kInitiationBurstPerPeer}) {
  set_peers(std::move(config_.peers));
}

void Engine::Core::set_peers(std::vector<PeerEntry> peers) {
  peers_.clear();
  for (auto& entry : peers) {
    const auto dh = crypto::dh_public_from_identity(entry.public_key);
    if (!dh) continue;  // the directory validated it; a bad key can never be reached
    Peer p;
    p.dh = *dh;
    p.fingerprint = crypto::fingerprint(entry.public_key);
    p.entry = std::move(entry);
    peers_.push_back(std::move(p));
  }
}

const Engine::Core::Peer* Engine::Core::find_peer(const std::string& name) const {
  // A removed peer may share its name with the peer that replaced its key: it is never
  // looked up by name, only recognised by its key (and refused).
  for (const auto& p : peers_) {
    if (p.entry.name == name && !p.entry.removed) return &p;
  }
  return nullptr;
}

std::uint32_t Engine::Core::new_local_index(const std::string& peer) {
  std::uint32_t index = 0;
  do {
    index = randombytes_random();
  } while (index == 0 || index_to_peer_.contains(index));
  index_to_peer_[index] = peer;
  return index;
}

void Engine::Core::forget(Association& a) {
  for (auto index : a.link.local_indices()) index_to_peer_.erase(index);
  if (a.pending) index_to_peer_.erase(a.pending->sender_index);
}

Engine::Core::Association* Engine::Core::find_call(CallId id, Call** call) {
  for (auto& [name, a] : associations_) {
    if (a.call && a.call->stats.id == id) {
      *call = &*a.call;
      return &a;
    }
  }
  return nullptr;
}

void Engine::Core::start_receive() {
  socket_.async_receive_from(asio::buffer(receive_buffer_), receive_from_,
                             [this](const asio::error_code& ec, std::size_t n) {
                               if (ec == asio::error::operation_aborted || !socket_.is_open())
                                 return;
                               if (!ec)
                                 on_datagram(ByteSpan(receive_buffer_.data(), n), receive_from_,
                                             Clock::now());
                               start_receive();
                             });
}

void Engine::Core::on_datagram(ByteSpan packet, const asio::ip::udp::endpoint& from,
                               Clock::time_point now) {
  ++counters_.datagrams_received;
  if (packet.empty() || packet.size() > wire::kMaxDatagram) {
    ++counters_.malformed;
    return;
  }
  switch (static_cast<wire::MessageType>(packet[0])) {
    case wire::MessageType::kInitiation:
      handle_initiation(packet, from, now);
      break;
    case wire::MessageType::kResponse:
      handle_response(packet, from, now);
      break;
    case wire::MessageType::kVoice:
    case wire::MessageType::kControl:
      handle_transport(packet, from, now);
      break;
    default:
      ++counters_.malformed;
      break;
  }
}

void Engine::Core::send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) {
  asio::error_code ec;
  socket_.send_to(asio::buffer(packet.data(), packet.size()), to, 0, ec);
  if (ec) ++counters_.send_errors;
}

void Engine::Core::publish(const Call& call) {
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshots_[call.stats.id.value] = call.stats;
    while (snapshots_.size() > kSnapshotsKept) snapshots_.erase(snapshots_.begin());
  }
  if (call.stats.state == CallState::kEnded) {
    listener_.on_call_ended(call.stats);
  } else {
    listener_.on_call_changed(call.stats);
  }
}

// ---- public API: every call is posted to the engine thread ----------------------------------

Engine::Engine(EngineConfig config, EngineListener& listener)
    : core_(std::make_unique<Core>(std::move(config), listener)) {}

Engine::~Engine() {
  stop();
}

void Engine::start() {
  if (core_->thread_.joinable()) return;
  core_->start_receive();
  core_->schedule_tick();
  core_->thread_ = std::thread([core = core_.get()] {
    request_realtime_priority();
    core->io_.run();
  });
}

void Engine::stop() {
  if (!core_ || !core_->thread_.joinable()) return;
  asio::post(core_->io_, [core = core_.get()] { core->begin_shutdown(); });
  core_->thread_.join();
}

net::Endpoint Engine::local_endpoint() const {
  return net::from_udp(core_->socket_.local_endpoint());
}

CallId Engine::call(const std::string& peer_name, const CallOptions& options) {
  const CallId id{core_->next_call_id_++};
  asio::post(core_->io_, [core = core_.get(), id, peer_name, options] {
    core->place_call(id, peer_name, options);
  });
  return id;
}

void Engine::answer(CallId id) {
  asio::post(core_->io_, [core = core_.get(), id] { core->answer(id); });
}

void Engine::decline(CallId id) {
  asio::post(core_->io_, [core = core_.get(), id] { core->decline(id); });
}

void Engine::hangup(CallId id) {
  asio::post(core_->io_, [core = core_.get(), id] { core->hangup(id); });
}

void Engine::set_muted(CallId id, bool muted) {
  asio::post(core_->io_, [core = core_.get(), id, muted] {
    Core::Call* call = nullptr;
    if (!core->find_call(id, &call)) return;
    call->stats.muted = muted;  // also applies to media that starts later
    if (call->media) call->media->set_muted(muted);
    core->publish(*call);
  });
}

void Engine::set_output_volume(double volume) {
  asio::post(core_->io_, [core = core_.get(), volume] {
    core->output_volume_ = volume;
    for (auto& [name, a] : core->associations_) {
      if (a.call && a.call->media) a.call->media->set_output_gain(volume);
    }
  });
}

void Engine::confirm_sas(CallId id) {
  asio::post(core_->io_, [core = core_.get(), id] { core->confirm_sas(id); });
}

void Engine::update_peers(std::vector<PeerEntry> peers) {
  auto shared = std::make_shared<std::vector<PeerEntry>>(std::move(peers));
  asio::post(core_->io_, [core = core_.get(), shared] { core->set_peers(std::move(*shared)); });
}

EngineCounters Engine::counters() const {
  std::lock_guard lock(core_->snapshot_mutex_);
  return core_->counters_snapshot_;
}

std::optional<CallStats> Engine::call_stats(CallId id) const {
  std::lock_guard lock(core_->snapshot_mutex_);
  auto it = core_->snapshots_.find(id.value);
  if (it == core_->snapshots_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hotline::call
