#include "tests/support/free_port.hpp"

#include <asio.hpp>

namespace hotline::test {

std::uint16_t free_udp_port() {
  asio::io_context io;
  asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return socket.local_endpoint().port();
}

}  // namespace hotline::test
