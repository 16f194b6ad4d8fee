#pragma once
// Fixed-size secret held in sodium_malloc'd memory: guard pages, mlock'd where the OS allows,
// and wiped by sodium_free. Move-only, never printed.

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <utility>

namespace hotline::crypto {

void ensure_sodium();  // idempotent sodium_init(); throws if the library cannot start

template <std::size_t N>
class Secret {
 public:
  Secret() {
    ensure_sodium();
    data_ = static_cast<std::uint8_t*>(sodium_malloc(N));
    if (data_ == nullptr) throw std::bad_alloc();
    sodium_memzero(data_, N);
  }
  explicit Secret(std::span<const std::uint8_t, N> from) : Secret() {
    std::copy(from.begin(), from.end(), data_);
  }
  ~Secret() {
    if (data_ != nullptr) sodium_free(data_);
  }
  Secret(Secret&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      if (data_ != nullptr) sodium_free(data_);
      data_ = std::exchange(other.data_, nullptr);
    }
    return *this;
  }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  Secret clone() const {
    Secret copy;
    std::copy(data_, data_ + N, copy.data_);
    return copy;
  }

  static constexpr std::size_t size() { return N; }
  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::span<const std::uint8_t, N> span() const {
    return std::span<const std::uint8_t, N>(data_, N);
  }
  // For functions that only read a key, whoever holds it (KeyView). Not from a temporary,
  // whose memory is freed while the view lives on.
  operator std::span<const std::uint8_t, N>() const& { return span(); }  // NOLINT: implicit
  operator std::span<const std::uint8_t, N>() const&& = delete;
  std::span<std::uint8_t, N> mutable_span() { return std::span<std::uint8_t, N>(data_, N); }
  bool is_zero() const { return sodium_is_zero(data_, N) == 1; }
  void wipe() { sodium_memzero(data_, N); }

 private:
  std::uint8_t* data_ = nullptr;
};

using SecretKey = Secret<32>;
// A key borrowed for reading, from a SecretKey or a SecretKeyPool (secret_key_pool.hpp).
using KeyView = std::span<const std::uint8_t, 32>;

}  // namespace hotline::crypto
