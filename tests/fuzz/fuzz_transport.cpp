// What the engine does with a voice/control datagram: parse, reconstruct the counter against
// the replay window, open, mark the counter seen. Input: script_len(1) | script | packet. The
// script's steps op(1) | low24(3) move the window first so packets are also opened far from 0:
// op bit 7 jumps to (op & 0x7f) << 54 | low24 (past wire::kRejectAfterMessages at the top),
// otherwise the step takes the counter nearest the highest, as a receiver would.

#include <algorithm>
#include <array>
#include <set>

#include "core/net/control_message.hpp"
#include "core/net/replay_window.hpp"
#include "core/net/transport.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {
constexpr std::uint64_t kLowSpan = wire::kCounterLowMask + 1;
// The window against the obvious model: accepted when below the limit, new, and less than
// kReplayWindowBits behind the highest accepted counter.
struct CheckedWindow {
  net::ReplayWindow window;
  std::set<std::uint64_t> seen;
  void accept(std::uint64_t counter) {
    const std::uint64_t top = window.highest();
    const bool expected = counter < wire::kRejectAfterMessages && !seen.contains(counter) &&
                          (counter > top || top - counter < wire::kReplayWindowBits);
    fuzz::require(window.would_accept(counter) == expected);
    fuzz::require(window.accept(counter) == expected);
    fuzz::require(!window.would_accept(counter));
    if (expected) seen.insert(counter);
    fuzz::require(window.highest() == (seen.empty() ? 0 : *seen.rbegin()));
  }
};

std::uint64_t checked_reconstruct(std::uint64_t reference, std::uint32_t low24) {
  const std::uint64_t full = net::reconstruct_counter(reference, low24);
  fuzz::require((full & wire::kCounterLowMask) == (low24 & wire::kCounterLowMask));
  // The nearest candidate; below 2^24 there is no lower one to pick.
  const std::uint64_t distance = full > reference ? full - reference : reference - full;
  fuzz::require(reference < kLowSpan || distance <= kLowSpan / 2);
  return full;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::SecretKey key = fuzz::fixed_key(fuzz::kTransportKeyFill);
  if (size == 0) return 0;
  const std::size_t script_len = std::min<std::size_t>(data[0], size - 1);
  const ByteSpan script(data + 1, script_len);
  const ByteSpan packet(data + 1 + script_len, size - 1 - script_len);
  CheckedWindow replay;
  for (std::size_t i = 0; i + 4 <= script.size(); i += 4) {
    const std::uint32_t low = load_le24(&script[i + 1]);
    const std::uint64_t near = checked_reconstruct(replay.window.highest(), low);
    replay.accept((script[i] & 0x80) ? (std::uint64_t{script[i] & 0x7fu} << 54 | low) : near);
  }
  const auto header = net::parse_transport_header(packet);
  fuzz::require(header.has_value() ==
                (packet.size() >= wire::kTransportOverhead && packet.size() <= wire::kMaxDatagram &&
                 (packet[0] == 4 || packet[0] == 5)));
  if (!header) return 0;
  const std::uint64_t counter = checked_reconstruct(replay.window.highest(), header->counter_low);
  std::array<std::uint8_t, net::kMaxTransportPlaintext> plain{};
  std::size_t plain_len = 0;
  if (!net::open_transport(packet, counter, key, plain, plain_len)) return 0;
  // Authentic: sealing the plaintext again must give back the very same packet.
  fuzz::require(plain_len == packet.size() - wire::kTransportOverhead);
  replay.accept(counter);
  const ByteSpan plaintext(plain.data(), plain_len);
  std::array<std::uint8_t, wire::kMaxDatagram> again{};
  const std::size_t n =
      net::seal_transport(header->type, header->receiver_index, counter, key, plaintext, again);
  fuzz::require(n == packet.size() && std::equal(packet.begin(), packet.end(), again.begin()));
  if (header->type == wire::MessageType::kControl) (void)net::decode_control(plaintext);
  return 0;
}
