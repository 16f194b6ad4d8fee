#pragma once
// The boxes of a table read for a role, copied out of SQLite (whose pointers last one step) into
// blocks that never move, so that other threads open them in place while the read goes on and
// the opened records stay where queries read them. The blocks hold plaintext: they are wiped
// when freed. docs/records.md, "Sealed history".

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/util/bytes.hpp"

namespace hotline::store {

class OpenedBoxes {
 public:
  OpenedBoxes() = default;
  OpenedBoxes(const OpenedBoxes&) = delete;
  OpenedBoxes& operator=(const OpenedBoxes&) = delete;
  OpenedBoxes(OpenedBoxes&& other) noexcept;
  OpenedBoxes& operator=(OpenedBoxes&& other) noexcept;
  ~OpenedBoxes() { clear(); }

  // A copy of `box`, where it stays until clear().
  MutableByteSpan add(ByteSpan box);
  // `box` (from add) is no longer used: a rewritten or removed row's.
  void drop(ByteSpan box) { stale_ += box.size(); }
  // Whether more bytes are dropped than used: then a reader starts again from nothing rather
  // than keep them.
  bool mostly_stale() const { return stale_ > kBlock && stale_ > used_ - stale_; }
  std::size_t used() const { return used_; }  // bytes added since the last clear()
  // Wipes and frees every block.
  void clear() noexcept;

 private:
  struct Block {
    std::unique_ptr<std::uint8_t[]> bytes;
    std::size_t capacity = 0;
    std::size_t used = 0;
  };
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  std::vector<Block> blocks_;
  std::size_t used_ = 0;   // over all blocks
  std::size_t stale_ = 0;  // of used_
};

}  // namespace hotline::store
