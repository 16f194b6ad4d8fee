#include "core/crypto/secret_key_pool.hpp"

#include <new>
#include <utility>

namespace hotline::crypto {

SecretKeyPool::~SecretKeyPool() {
  release();
}

SecretKeyPool::SecretKeyPool(SecretKeyPool&& other) noexcept
    : blocks_(std::move(other.blocks_)), used_(std::exchange(other.used_, 0)) {
  other.blocks_.clear();
}

SecretKeyPool& SecretKeyPool::operator=(SecretKeyPool&& other) noexcept {
  if (this != &other) {
    release();
    blocks_ = std::move(other.blocks_);
    other.blocks_.clear();
    used_ = std::exchange(other.used_, 0);
  }
  return *this;
}

void SecretKeyPool::release() noexcept {
  for (std::uint8_t* block : blocks_) sodium_free(block);  // wipes it
  blocks_.clear();
  used_ = 0;
}

std::span<std::uint8_t, 32> SecretKeyPool::add() {
  if (used_ == blocks_.size() * kKeysPerBlock) {
    ensure_sodium();
    blocks_.reserve(blocks_.size() + 1);  // no throw after the allocation below
    auto* block = static_cast<std::uint8_t*>(sodium_malloc(kKeysPerBlock * 32));
    if (block == nullptr) throw std::bad_alloc();
    sodium_memzero(block, kKeysPerBlock * 32);
    blocks_.push_back(block);
  }
  std::uint8_t* slot = blocks_[used_ / kKeysPerBlock] + used_ % kKeysPerBlock * 32;
  ++used_;
  return std::span<std::uint8_t, 32>(slot, 32);
}

void SecretKeyPool::drop_last() {
  if (used_ == 0) return;
  --used_;
  sodium_memzero(blocks_[used_ / kKeysPerBlock] + used_ % kKeysPerBlock * 32, 32);
}

}  // namespace hotline::crypto
