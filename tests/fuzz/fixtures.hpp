#pragma once
// Fixed keys and indices shared by the fuzz targets and make_seeds: the seed corpus then holds
// packets the targets can really open, so mutations start beyond the first authentication.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "core/crypto/secret.hpp"

namespace hotline::fuzz {

inline constexpr std::uint8_t kTransportKeyFill = 0x11;
inline constexpr std::uint8_t kResponderSeedFill = 0x22;
inline constexpr std::uint8_t kInitiatorSeedFill = 0x33;
inline constexpr std::uint8_t kPskFill = 0x44;
inline constexpr std::uint8_t kHistoryKeyFill = 0x55;
inline constexpr std::uint32_t kInitiatorIndex = 0x01020304;
inline constexpr std::uint32_t kResponderIndex = 0x0a0b0c0d;
inline constexpr std::int64_t kTimestampSeconds = 1'700'000'000;
inline constexpr std::string_view kKeyFilePassphrase = "fuzz";

inline crypto::SecretKey fixed_key(std::uint8_t fill) {
  std::array<std::uint8_t, 32> bytes{};
  bytes.fill(fill);
  return crypto::SecretKey(std::span<const std::uint8_t, 32>(bytes));
}

// A broken invariant is a finding like a sanitizer report: stop with a crash libFuzzer saves.
inline void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace hotline::fuzz
