// A recorded handshake initiation replayed to a restarted console is refused: the last
// accepted timestamp per peer survives the restart.

#include <sys/socket.h>
#include <sys/time.h>

#include <catch2/catch_test_macros.hpp>

#include "core/crypto/tai64n.hpp"
#include "core/net/handshake_messages.hpp"
#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace std::chrono_literals;

namespace {

// Sends `packet` to `to` and waits up to `wait` for any reply; returns its size (0: none).
std::size_t exchange(const Bytes& packet, const net::Endpoint& to, std::chrono::milliseconds wait) {
  asio::io_context io;
  asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(wait.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((wait.count() % 1000) * 1000);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  socket.send_to(asio::buffer(packet), net::to_udp(to));
  std::array<std::uint8_t, 2048> reply{};
  const auto n = ::recv(socket.native_handle(), reply.data(), reply.size(), 0);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

}  // namespace

TEST_CASE("a replayed initiation is refused, also after the responder restarts") {
  test::TestConsole a("Beijing");
  test::TestConsole b("Singapore");
  b.start();
  b.add_peer(a);

  const auto b_dh = crypto::dh_public_from_identity(b.identity().public_key());
  REQUIRE(b_dh);
  const crypto::SecretKey no_psk;
  net::PendingInitiation pending;
  const Bytes recorded =
      net::build_initiation(a.identity(), *b_dh, no_psk, 7, crypto::tai64n_now(),
                            wire::InitiationPurpose::kCall, std::nullopt, pending);

  CHECK(exchange(recorded, b.endpoint(), 5s) == wire::kResponseLen);

  SECTION("replayed to the same process") {
    CHECK(exchange(recorded, b.endpoint(), 500ms) == 0);
    test::eventually([&] { return b.engine().counters().replayed_initiations == 1; }, 5s,
                     "the replay to be counted");
  }
  SECTION("replayed after a restart") {
    b.restart();
    CHECK(exchange(recorded, b.endpoint(), 500ms) == 0);
    test::eventually([&] { return b.engine().counters().replayed_initiations == 1; }, 5s,
                     "the replay to be counted");
    // A fresh initiation with a newer timestamp is still welcome.
    net::PendingInitiation fresh;
    const Bytes newer = net::build_initiation(a.identity(), *b_dh, no_psk, 8, crypto::tai64n_now(),
                                              wire::InitiationPurpose::kCall, std::nullopt, fresh);
    CHECK(exchange(newer, b.endpoint(), 5s) == wire::kResponseLen);
  }
}
