#pragma once
// A loopback UDP port nobody is using right now, for tests whose profile must name its port
// before the console binds it. The kernel picks it (bind to port 0); another process could
// take it in the instant before the console binds, which the kernel's ephemeral port
// rotation makes unlikely.

#include <cstdint>

namespace hotline::test {

std::uint16_t free_udp_port();

}  // namespace hotline::test
