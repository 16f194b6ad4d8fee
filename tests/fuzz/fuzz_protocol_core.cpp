// The whole protocol core in simulated time: two consoles (tests/support/sim_network.hpp)
// driven by a script of commands, time steps, network impairments and datagrams replayed,
// mutated or made up. After every step the invariants must hold:
//   - nothing throws out of the core (an escaping exception is a crash here);
//   - no deadline stays due after it ran (the simulation reports a busy loop by throwing);
//   - each call's state only moves forward (dialling, ringing, connected, ended), and
//     nothing is said about a call after it ended;
//   - a console has at most one live call;
//   - no transport packet is sent under keys older than wire::kRejectAfter;
//   - the engine's drop counters never exceed the datagrams it received.
// Input: a byte script; each step is op(1) followed by its operands (see step()).

#include <map>
#include <set>

#include "tests/fuzz/fixtures.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;

namespace {

constexpr std::size_t kMaxSteps = 200;
constexpr auto kMaxSimulated = std::chrono::seconds(300);
// A handshake announces an index before the session using it is keyed, at most a retry and
// the network's delay earlier.
constexpr auto kAnnounceSlack = std::chrono::seconds(3);

class Script {
 public:
  Script(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

struct Checker {
  // Per console: each call's last state, and the calls still live.
  std::map<std::string, std::map<std::uint64_t, CallState>> states;
  std::map<std::string, std::size_t> events_seen;
  std::map<std::string, std::size_t> sent_seen;
  std::map<std::string, std::size_t> announcements_seen;
  std::map<std::uint32_t, test::SimTime> announced;  // handshake index -> when sent

  void check(test::SimConsole& c) {
    auto& seen = events_seen[c.name()];
    auto& calls = states[c.name()];
    for (; seen < c.events().size(); ++seen) {
      const call::CallStats& e = c.events()[seen];
      auto [it, first] = calls.try_emplace(e.id.value, e.state);
      if (!first) {
        fuzz::require(it->second != CallState::kEnded);  // nothing after the end
        fuzz::require(static_cast<int>(e.state) >= static_cast<int>(it->second));
        it->second = e.state;
      }
    }
    std::size_t live = 0;
    for (const auto& [id, state] : calls) live += state != CallState::kEnded ? 1 : 0;
    fuzz::require(live <= 1);

    const call::EngineCounters& n = c.core().counters();
    fuzz::require(n.malformed + n.mac_failures + n.rate_limited + n.handshake_failures +
                      n.unknown_peer + n.disabled_peer + n.replayed_initiations +
                      n.future_initiations + n.unknown_index + n.auth_failures + n.replays <=
                  n.datagrams_received);
    fuzz::require(n.internal_errors == 0);
  }

  // Every handshake index either console announced, then every transport packet's key age
  // (a packet names the index its receiver announced).
  void check_keys(test::SimConsole& a, test::SimConsole& b) {
    for (test::SimConsole* c : {&a, &b}) {
      const auto& sent = c->sent();
      for (auto& i = announcements_seen[c->name()]; i < sent.size(); ++i) {
        const Bytes& p = sent[i].bytes;
        if (p.size() == wire::kInitiationLen && p[0] == 1) {
          announced.try_emplace(le32(p, wire::kInitiationSenderOffset), sent[i].at);
        } else if (p.size() == wire::kResponseLen && p[0] == 2) {
          announced.try_emplace(le32(p, wire::kResponseSenderOffset), sent[i].at);
        }
      }
    }
    for (test::SimConsole* c : {&a, &b}) {
      const auto& sent = c->sent();
      for (auto& i = sent_seen[c->name()]; i < sent.size(); ++i) {
        const Bytes& p = sent[i].bytes;
        if (p.size() >= wire::kTransportOverhead && (p[0] == 4 || p[0] == 5)) {
          const auto it = announced.find(le32(p, wire::kTransportReceiverOffset));
          fuzz::require(it != announced.end());
          fuzz::require(sent[i].at - it->second <= wire::kRejectAfter + kAnnounceSlack);
        }
      }
    }
  }

  static std::uint32_t le32(const Bytes& p, std::size_t at) {
    return static_cast<std::uint32_t>(p[at]) | static_cast<std::uint32_t>(p[at + 1]) << 8 |
           static_cast<std::uint32_t>(p[at + 2]) << 16 |
           static_cast<std::uint32_t>(p[at + 3]) << 24;
  }
};

std::optional<call::CallStats> newest_live(const test::SimConsole& c) {
  std::map<std::uint64_t, call::CallStats> last;
  for (const auto& e : c.events()) last[e.id.value] = e;
  for (auto it = last.rbegin(); it != last.rend(); ++it) {
    if (it->second.state != CallState::kEnded) return it->second;
  }
  return std::nullopt;
}

const test::SentDatagram* captured(test::SimConsole& a, test::SimConsole& b, std::uint16_t pick) {
  const std::size_t total = a.sent().size() + b.sent().size();
  if (total == 0) return nullptr;
  const std::size_t i = pick % total;
  return i < a.sent().size() ? &a.sent()[i] : &b.sent()[i - a.sent().size()];
}

void step(Script& s, test::SimNetwork& net, test::SimConsole& a, test::SimConsole& b) {
  const std::uint8_t op = s.byte();
  test::SimConsole& side = (op & 0x80) ? b : a;
  test::SimConsole& other = (op & 0x80) ? a : b;
  switch (op & 0x0f) {
    case 0:
      net.run_for(std::chrono::milliseconds(10 * (s.byte() + 1)));
      break;
    case 1: {
      const std::uint8_t o = s.byte();
      call::CallOptions options;
      options.frame_ms = (o & 1) ? 10 : 20;
      options.bitrate = (o & 2) ? 16000 + 1000 * (o >> 2) : 32000;  // some out of range
      side.call(other.name(), options);
      break;
    }
    case 2:
      if (auto c = newest_live(side)) side.answer(c->id);
      break;
    case 3:
      if (auto c = newest_live(side)) side.hangup(c->id);
      break;
    case 4:
      if (auto c = newest_live(side)) side.core().decline(c->id, net.now());
      break;
    case 5:
      if (auto c = newest_live(side)) side.core().confirm_sas(c->id, net.now());
      break;
    case 6: {  // a recorded datagram, again, from where it came or from elsewhere
      const std::uint8_t how = s.byte();
      if (const auto* d = captured(a, b, s.u16())) {
        const auto from = (how & 1) ? asio::ip::udp::endpoint(
                                          asio::ip::make_address_v4(0x7f000200u + (how >> 1)), 4000)
                                    : (d->from == a.name() ? a.address() : b.address());
        net.inject(d->bytes, from, d->to);
      }
      break;
    }
    case 7: {  // a recorded datagram with one byte changed
      const std::uint16_t pick = s.u16();
      const std::uint8_t at = s.byte();
      const std::uint8_t x = s.byte();
      if (const auto* d = captured(a, b, pick)) {
        Bytes bytes = d->bytes;
        bytes[at % bytes.size()] ^= static_cast<std::uint8_t>(x | 1);
        net.inject(std::move(bytes), d->from == a.name() ? a.address() : b.address(), d->to);
      }
      break;
    }
    case 8: {  // made-up bytes
      Bytes bytes(s.byte() % 160);
      for (auto& v : bytes) v = s.byte();
      net.inject(std::move(bytes), other.address(), side.address());
      break;
    }
    case 9: {
      test::PathImpairment& p = net.path(side.name(), other.name());
      const std::uint8_t v = s.byte();
      p.blackout = (v & 1) != 0;
      p.loss = static_cast<double>(v >> 1) / 256.0;
      p.duplicate = (v & 0x40) ? 0.1 : 0.0;
      p.jitter = std::chrono::microseconds(((v >> 3) & 7) * 10'000);
      break;
    }
    case 10: {  // the administrator disables, enables or removes the other peer
      const std::uint8_t v = s.byte();
      auto peers = side.config().peers;
      for (auto& e : peers) {
        e.enabled = (v & 1) == 0;
        e.removed = (v & 2) != 0;
        if (e.removed) e.enabled = false;
      }
      side.core().set_peers(std::move(peers));
      break;
    }
    case 11:  // the peer roams to another address
      side.set_address(
          asio::ip::udp::endpoint(asio::ip::make_address_v4(0x7f000300u + s.byte() % 4), 4000));
      break;
    case 12:
      if (auto c = newest_live(side)) side.core().set_muted(c->id, (s.byte() & 1) != 0);
      break;
    default:
      net.run_for(std::chrono::milliseconds(s.u16()));
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Script script(data, size);
  test::SimNetwork net(size > 0 ? data[0] : 0);
  test::SimConsole& a = net.add_console("Beijing");
  test::SimConsole& b = net.add_console("Singapore");
  a.add_peer(b);
  b.add_peer(a);
  a.config().voice.tones = false;
  b.config().voice.tones = false;
  a.start();
  b.start();
  Checker checker;
  const auto start = net.now();
  for (std::size_t i = 0; i < kMaxSteps && !script.done(); ++i) {
    if (net.now() - start > kMaxSimulated) break;
    step(script, net, a, b);
    checker.check(a);
    checker.check(b);
    checker.check_keys(a, b);
  }
  net.run_for(std::chrono::seconds(1));  // let the last inputs play out
  checker.check(a);
  checker.check(b);
  checker.check_keys(a, b);
  return 0;
}
