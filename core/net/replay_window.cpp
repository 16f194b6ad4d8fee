#include "core/net/replay_window.hpp"

#include <algorithm>

namespace hotline::net {

namespace {
constexpr std::uint64_t kLowSpan = wire::kCounterLowMask + 1;  // 2^24
constexpr std::uint64_t kHalfLowSpan = kLowSpan / 2;
}  // namespace

std::uint64_t reconstruct_counter(std::uint64_t reference, std::uint32_t counter_low24) {
  const std::uint64_t low = counter_low24 & wire::kCounterLowMask;
  const std::uint64_t candidate = (reference & ~wire::kCounterLowMask) | low;
  // Pick among candidate - 2^24, candidate, candidate + 2^24 the one nearest to reference.
  if (candidate > reference && candidate - reference > kHalfLowSpan && candidate >= kLowSpan) {
    return candidate - kLowSpan;
  }
  if (candidate < reference && reference - candidate > kHalfLowSpan) {
    return candidate + kLowSpan;
  }
  return candidate;
}

std::uint64_t ReplayWindow::reconstruct(std::uint32_t counter_low24) const {
  return reconstruct_counter(highest_, counter_low24);
}

bool ReplayWindow::would_accept(std::uint64_t counter) const {
  if (counter >= wire::kRejectAfterMessages) return false;
  if (counter > highest_) return true;
  if (highest_ - counter >= wire::kReplayWindowBits) return false;
  return (blocks_[block_of(counter)] & bit_of(counter)) == 0;
}

bool ReplayWindow::accept(std::uint64_t counter) {
  if (counter >= wire::kRejectAfterMessages) {
    ++over_limit_;
    return false;
  }
  if (counter > highest_) {
    const std::uint64_t old_block = highest_ / kBlockBits;
    const std::uint64_t new_block = counter / kBlockBits;
    // Blocks between the old top and the new top now describe counters never seen.
    const std::uint64_t to_clear = std::min<std::uint64_t>(new_block - old_block, kBlocks);
    for (std::uint64_t i = 1; i <= to_clear; ++i) {
      blocks_[static_cast<std::size_t>((old_block + i) % kBlocks)] = 0;
    }
    highest_ = counter;
  } else if (highest_ - counter >= wire::kReplayWindowBits) {
    ++too_old_;
    return false;
  }
  std::uint64_t& block = blocks_[block_of(counter)];
  if ((block & bit_of(counter)) != 0) {
    ++duplicates_;
    return false;
  }
  block |= bit_of(counter);
  return true;
}

}  // namespace hotline::net
