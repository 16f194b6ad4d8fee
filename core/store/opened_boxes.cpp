#include "core/store/opened_boxes.hpp"

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace hotline::store {

OpenedBoxes::OpenedBoxes(OpenedBoxes&& other) noexcept
    : blocks_(std::move(other.blocks_)),
      used_(std::exchange(other.used_, 0)),
      stale_(std::exchange(other.stale_, 0)) {
  other.blocks_.clear();
}

OpenedBoxes& OpenedBoxes::operator=(OpenedBoxes&& other) noexcept {
  if (this != &other) {
    clear();
    blocks_ = std::move(other.blocks_);
    other.blocks_.clear();
    used_ = std::exchange(other.used_, 0);
    stale_ = std::exchange(other.stale_, 0);
  }
  return *this;
}

MutableByteSpan OpenedBoxes::add(ByteSpan box) {
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < box.size()) {
    const std::size_t capacity = std::max(kBlock, box.size());
    blocks_.push_back({std::make_unique_for_overwrite<std::uint8_t[]>(capacity), capacity, 0});
  }
  Block& block = blocks_.back();
  const MutableByteSpan out(block.bytes.get() + block.used, box.size());
  std::copy(box.begin(), box.end(), out.begin());
  block.used += box.size();
  used_ += box.size();
  return out;
}

void OpenedBoxes::clear() noexcept {
  for (Block& block : blocks_) sodium_memzero(block.bytes.get(), block.used);
  blocks_.clear();
  used_ = 0;
  stale_ = 0;
}

}  // namespace hotline::store
