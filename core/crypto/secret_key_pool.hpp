#pragma once
// Many 32-byte keys in a few guarded allocations. sodium_malloc surrounds every allocation
// with guard pages and locks it (several system calls, about 40 µs): a thousand history
// epoch keys held one allocation each cost an operator's unlock 40 ms. A pool holds 127 keys
// per allocation, locked and wiped the same way; the guard pages surround each block of 127
// rather than each key, so an overrun of one key reaches its neighbours, not unmapped memory.
// Slots never move, so a view stays valid for the pool's life.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/crypto/secret.hpp"

namespace hotline::crypto {

class SecretKeyPool {
 public:
  SecretKeyPool() = default;
  ~SecretKeyPool();
  SecretKeyPool(SecretKeyPool&& other) noexcept;
  SecretKeyPool& operator=(SecretKeyPool&& other) noexcept;
  SecretKeyPool(const SecretKeyPool&) = delete;
  SecretKeyPool& operator=(const SecretKeyPool&) = delete;

  // A zeroed slot to write a key into. Throws std::bad_alloc when no memory can be guarded.
  std::span<std::uint8_t, 32> add();
  // Wipes the slot the last add() returned and takes it back (a key that did not open).
  void drop_last();
  std::size_t size() const { return used_; }

 private:
  // 4 KiB less one slot: sodium_malloc's canary and alignment fit in the same page count.
  static constexpr std::size_t kKeysPerBlock = 127;
  void release() noexcept;

  std::vector<std::uint8_t*> blocks_;
  std::size_t used_ = 0;
};

}  // namespace hotline::crypto
