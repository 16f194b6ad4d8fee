// Loading the peer directory into the protocol core: endpoints the host cannot use are
// skipped and counted once per load, never thrown on later.

#include <catch2/catch_test_macros.hpp>

#include "core/net/endpoint.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;

namespace {

call::PeerEntry entry_with(std::string name, const char* endpoint) {
  call::PeerEntry entry;
  entry.name = std::move(name);
  entry.public_key = crypto::Identity::generate().public_key();
  entry.endpoints.push_back(*net::parse_endpoint(endpoint));
  entry.verified = true;
  return entry;
}

}  // namespace

TEST_CASE("protocol core: unusable endpoints count the directory now loaded, not every load") {
  test::SimNetwork net(1);
  auto& beijing = net.add_console("Beijing");
  beijing.start();
  auto& core = beijing.core();

  // Valid text, but no such interface here: the address cannot be converted.
  const auto nowhere = entry_with("Nowhere", "[fe80::1%nosuchif0]:47000");
  core.set_peers({nowhere, entry_with("Elsewhere", "127.0.0.1:9")});
  CHECK(core.counters().unusable_endpoints == 1);

  core.set_peers({nowhere, entry_with("Elsewhere", "127.0.0.1:9")});
  CHECK(core.counters().unusable_endpoints == 1);

  core.set_peers({entry_with("Elsewhere", "127.0.0.1:9")});
  CHECK(core.counters().unusable_endpoints == 0);
}
