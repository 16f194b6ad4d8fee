#pragma once
// Anti-replay window for transport counters (RFC 6479): a ring of 64-bit blocks remembering
// which of the last wire::kReplayWindowBits counters behind the highest one have been seen.
// Moving ahead clears only the blocks that slide into view, never shifts the whole map.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/wire/wire.hpp"

namespace hotline::net {

// The full counter whose low 24 bits are `counter_low24` and which lies nearest `reference`.
std::uint64_t reconstruct_counter(std::uint64_t reference, std::uint32_t counter_low24);

class ReplayWindow {
 public:
  // The full counter whose low 24 bits are counter_low24 and which lies closest to the
  // highest counter accepted so far (0 before the first packet). Only the low 24 bits of
  // the argument are used.
  std::uint64_t reconstruct(std::uint32_t counter_low24) const;

  // True when the counter is below the reject limit, not too far behind the highest and not
  // yet seen. Changes nothing: use it to skip decryption of obvious replays.
  bool would_accept(std::uint64_t counter) const;

  // Marks the counter as seen. Call only once the packet has authenticated, otherwise a
  // forged counter could move the window. Returns false (and counts why) on a duplicate, a
  // counter too far behind, or a counter at or beyond wire::kRejectAfterMessages.
  bool accept(std::uint64_t counter);

  std::uint64_t highest() const { return highest_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t too_old() const { return too_old_; }
  std::uint64_t over_limit() const { return over_limit_; }

 private:
  static constexpr std::size_t kBlockBits = 64;
  // One block more than the window so the oldest remembered counter is never in a block that
  // is being reused for counters ahead of it.
  static constexpr std::size_t kBlocks = wire::kReplayWindowBits / kBlockBits + 1;
  static_assert(wire::kReplayWindowBits % kBlockBits == 0, "window must be whole blocks");

  static std::size_t block_of(std::uint64_t counter) {
    return static_cast<std::size_t>((counter / kBlockBits) % kBlocks);
  }
  static std::uint64_t bit_of(std::uint64_t counter) {
    return std::uint64_t{1} << (counter % kBlockBits);
  }

  std::array<std::uint64_t, kBlocks> blocks_{};
  std::uint64_t highest_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t too_old_ = 0;
  std::uint64_t over_limit_ = 0;
};

}  // namespace hotline::net
