// The officials' page tells the truth about lines and keeps the last calls in view (the
// officials' review): recent calls with their outcome without any passphrase; a round trip
// shown only once measured; a line shown offline as soon as a call to it fails.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "tests/ui/console_fixture.hpp"

using namespace hotline;
using namespace hotline::test;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("the officials' page lists the recent calls with their outcome, no passphrase needed") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  UiConsole& sg = set[1];
  wait_until([&] { return bj.page().recent_calls()->count() == 1; }, "the empty list");
  CHECK(bj.page().recent_calls()->item(0)->text() == "No calls yet");
  wait_for_tile(bj, "Singapore");
  click(bj.page().tile("Singapore")->call_button());
  wait_until([&] { return sg.calls().ringing_incoming(); }, "the call to ring");
  click(sg.panel().decline_button());
  for (UiConsole* c : {&bj, &sg}) {
    wait_until(
        [&] {
          const auto* list = c->page().recent_calls();
          return list->count() == 1 && list->item(0)->text().contains("Declined");
        },
        "the declined call in the list");
  }
  CHECK_THAT(bj.page().recent_calls()->item(0)->text().toStdString(),
             ContainsSubstring("→") && ContainsSubstring("Singapore"));
  CHECK_THAT(sg.page().recent_calls()->item(0)->text().toStdString(),
             ContainsSubstring("←") && ContainsSubstring("Beijing"));
  CHECK_FALSE(bj.window->roles().unlocked(store::Role::kOperator));  // an official's view
}

TEST_CASE("a line's round trip shows once measured, and a failed call shows the line offline") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  wait_for_tile(bj, "Singapore");
  ui::PeerTile* tile = bj.page().tile("Singapore");
  // Not measured: "—", never "0.0 ms".
  call::PeerStatus unmeasured;
  unmeasured.peer = "Singapore";
  unmeasured.online = true;
  tile->set_status(unmeasured);
  CHECK_THAT(tile->status_label()->text().toStdString(), ContainsSubstring("round trip —"));
  // The next probe measures it (a Ping after its handshake), and the tile shows it.
  wait_until([&] { return tile->status_label()->text().contains(" ms"); }, "a measured round trip");
  const auto s = bj.calls().status_of("Singapore");
  REQUIRE(s);
  CHECK(s->rtt_ms > 0);
}

TEST_CASE("a call that cannot reach the peer shows its line offline at once") {
  ui::CallController calls;
  call::PeerStatus up;
  up.peer = "Singapore";
  up.online = true;
  up.rtt_ms = 3.1;
  calls.apply_status(up);
  call::CallStats failed;
  failed.peer = "Singapore";
  failed.state = call::CallState::kEnded;
  failed.end_reason = call::EndReason::kUnreachable;
  calls.apply_ended(failed);
  REQUIRE(calls.status_of("Singapore"));
  CHECK_FALSE(calls.status_of("Singapore")->online);  // no longer "Online · round trip 3.1 ms"
}
