#include "core/crypto/tai64n.hpp"

#include <chrono>
#include <cstring>
#include <mutex>

#include "core/util/error.hpp"

namespace hotline::crypto {
namespace {

constexpr std::uint64_t kTai64Base = 1ull << 62;
constexpr std::uint32_t kNanosPerSecond = 1'000'000'000;

void store_be(std::uint8_t* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

std::uint64_t load_be(const std::uint8_t* in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | in[i];
  return value;
}

Tai64n make(std::uint64_t label, std::uint32_t nanoseconds) {
  Tai64n out{};
  store_be(out.data(), label, 8);
  store_be(out.data() + 8, nanoseconds, 4);
  return out;
}

}  // namespace

Tai64n tai64n_from_unix(std::int64_t seconds, std::uint32_t nanoseconds) {
  if (nanoseconds >= kNanosPerSecond) throw Error("TAI64N nanoseconds out of range");
  return make(kTai64Base + static_cast<std::uint64_t>(seconds), nanoseconds);
}

Tai64n tai64n_after(const Tai64n& candidate, const Tai64n& previous) {
  if (is_newer(candidate, previous)) return candidate;
  std::uint64_t label = load_be(previous.data(), 8);
  auto nanoseconds = static_cast<std::uint32_t>(load_be(previous.data() + 8, 4));
  if (++nanoseconds >= kNanosPerSecond) {
    nanoseconds = 0;
    ++label;
  }
  return make(label, nanoseconds);
}

Tai64n tai64n_now() {
  using namespace std::chrono;
  const auto since_epoch = system_clock::now().time_since_epoch();
  const auto seconds = floor<std::chrono::seconds>(since_epoch);
  const auto nanoseconds = duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  const Tai64n candidate =
      tai64n_from_unix(seconds.count(), static_cast<std::uint32_t>(nanoseconds.count()));

  static std::mutex mutex;
  static Tai64n last{};
  const std::lock_guard lock(mutex);
  last = tai64n_after(candidate, last);
  return last;
}

Tai64n tai64n_add_seconds(const Tai64n& t, std::int64_t seconds) {
  const std::uint64_t label = load_be(t.data(), 8) + static_cast<std::uint64_t>(seconds);
  return make(label, static_cast<std::uint32_t>(load_be(t.data() + 8, 4)));
}

bool is_newer(const Tai64n& a, const Tai64n& b) {
  return std::memcmp(a.data(), b.data(), a.size()) > 0;
}

}  // namespace hotline::crypto
