// The handshake reader: Noise reads of initiations on a thread of their own, off the voice
// path (docs/security.md, "Denial of service"), with a bounded queue.

#include "core/call/handshake_reader.hpp"

#include <catch2/catch_test_macros.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "core/net/handshake_messages.hpp"

using namespace hotline;
using namespace std::chrono_literals;

namespace {

Bytes genuine_initiation(const crypto::Identity& from, const crypto::Identity& to) {
  crypto::SecretKey no_psk;
  net::PendingInitiation pending;
  return net::build_initiation(from, to.dh_public(), no_psk, 7, crypto::tai64n_now(),
                               wire::InitiationPurpose::kCall, std::nullopt, pending);
}

}  // namespace

TEST_CASE("the handshake reader reads initiations on its own thread and hands them back") {
  const auto responder = std::make_shared<const crypto::Identity>(crypto::Identity::generate());
  const crypto::Identity initiator = crypto::Identity::generate();
  std::promise<std::pair<std::thread::id, call::InitiationRead>> genuine_done, junk_done;
  int n = 0;
  call::HandshakeReader reader(responder, [&](call::InitiationRead job) {
    auto& done = n++ == 0 ? genuine_done : junk_done;
    done.set_value({std::this_thread::get_id(), std::move(job)});
  });
  const asio::ip::udp::endpoint from(asio::ip::make_address("127.0.0.2"), 4000);
  REQUIRE(reader.submit({genuine_initiation(initiator, *responder), from, std::nullopt}));
  Bytes junk = genuine_initiation(initiator, *responder);
  junk[60] ^= 1;  // the encrypted static key no longer opens
  REQUIRE(reader.submit({junk, from, std::nullopt}));

  auto [thread, read] = genuine_done.get_future().get();
  CHECK(thread != std::this_thread::get_id());
  REQUIRE(read.result.has_value());
  CHECK(read.result->initiator_static == initiator.dh_public());
  CHECK(read.from == from);
  auto [junk_thread, junk_read] = junk_done.get_future().get();
  CHECK(junk_thread == thread);
  CHECK_FALSE(junk_read.result.has_value());
}

TEST_CASE("the handshake reader refuses work past its bound instead of queueing without end") {
  const auto responder = std::make_shared<const crypto::Identity>(crypto::Identity::generate());
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  std::promise<void> first_taken;
  bool first = true;
  call::HandshakeReader reader(responder, [&](call::InitiationRead) {
    if (!std::exchange(first, false)) return;
    first_taken.set_value();
    std::unique_lock lock(mutex);
    released.wait(lock, [&] { return release; });  // the reader is busy with the first job
  });
  const asio::ip::udp::endpoint from(asio::ip::make_address("127.0.0.2"), 4000);
  REQUIRE(reader.submit({Bytes(wire::kInitiationLen), from, std::nullopt}));
  first_taken.get_future().wait();
  for (std::size_t i = 0; i < call::HandshakeReader::kMaxQueued; ++i) {
    REQUIRE(reader.submit({Bytes(wire::kInitiationLen), from, std::nullopt}));
  }
  CHECK_FALSE(reader.submit({Bytes(wire::kInitiationLen), from, std::nullopt}));
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  released.notify_all();
}
