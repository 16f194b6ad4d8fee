#pragma once
// TAI64N timestamps as WireGuard uses them in handshake initiations: 8 bytes big-endian
// 2^62 + Unix seconds, then 4 bytes big-endian nanoseconds. Byte order equals time order,
// so a responder can reject a replayed initiation by comparing bytes.

#include <array>
#include <cstdint>

namespace hotline::crypto {

using Tai64n = std::array<std::uint8_t, 12>;

// nanoseconds must be below 10^9.
Tai64n tai64n_from_unix(std::int64_t seconds, std::uint32_t nanoseconds);

// The current time, strictly later than every value this process returned before: when the
// clock stands still or goes back, the previous value plus 1 ns. Thread-safe.
Tai64n tai64n_now();

// The later of `candidate` and `previous` + 1 ns (what tai64n_now applies to the clock).
Tai64n tai64n_after(const Tai64n& candidate, const Tai64n& previous);

// `t` moved by `seconds` (negative: back), nanoseconds kept.
Tai64n tai64n_add_seconds(const Tai64n& t, std::int64_t seconds);

// True when `a` is strictly later than `b`.
bool is_newer(const Tai64n& a, const Tai64n& b);

}  // namespace hotline::crypto
