#include "tests/ui/console_fixture.hpp"

#include <catch2/catch_test_macros.hpp>

#include "core/admin/administration.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/leak_check_pause.hpp"

namespace hotline::test {

void wait_until(const std::function<bool()>& condition, const char* what, int ms) {
  if (!QTest::qWaitFor(condition, ms)) FAIL("timed out waiting for " << what);
}

void click(QPushButton* button) {
  REQUIRE(button != nullptr);
  INFO("button '" << button->text().toStdString() << "'");
  // A widget a layout has just taken is shown on the event loop's next turn.
  wait_until([button] { return button->isVisible(); }, "the button to be on screen", 5000);
  REQUIRE(button->isEnabled());
  QTest::mouseClick(button, Qt::LeftButton);
}

void wait_for_tile(UiConsole& console, const char* peer) {
  wait_until(
      [&] {
        ui::PeerTile* t = console.page().tile(peer);
        return t && t->call_button()->isVisible();
      },
      "the directory tile");
}

void ignore_worker_leaks(UiConsole& console) {
  bool done = false;
  console.session->run<bool>(
      [](ui::ConsoleBackend&) {
#ifdef HOTLINE_HAVE_LSAN
        __lsan_disable();  // for the rest of the worker thread's life
#endif
        return true;
      },
      console.window.get(), [&done](ui::Outcome<bool>) { done = true; });
  wait_until([&] { return done; }, "the worker");
}

bool UiConsole::in_state(call::CallState state) const {
  const auto& a = session->calls().active();
  return a && a->state == state;
}

void UiConsole::unlock(store::Role role, const QString& passphrase) {
  ui::UnlockDialog dialog(window->roles(), role, window.get());
  dialog.show();
  dialog.passphrase()->setText(passphrase);
  QTest::mouseClick(dialog.unlock_button(), Qt::LeftButton);
  wait_until(
      [&] { return window->roles().unlocked(role) || !dialog.error()->text().contains("…"); },
      "the passphrase check");
  REQUIRE(window->roles().unlocked(role));
}

ConsoleSet::ConsoleSet(std::vector<std::string> names, bool verified) {
  std::vector<identity::Profile> profiles;
  std::vector<std::string> cards;
  for (const auto& name : names) {
    auto p = identity::Profile::create(dir_.path() / name, name,
                                       net::Endpoint{"127.0.0.1", free_udp_port()}, std::nullopt,
                                       identity::KeyFileCost::kInteractive);
    admin::AuditTrail audit(p);
    admin::RoleGate gate(p, audit, crypto::PassphraseCost::kInteractive);
    gate.set_first_passphrases(kAdminPassphrase, kOperatorPassphrase, "test");
    cards.push_back(identity::serialize_card(p.own_card()));
    profiles.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    admin::AuditTrail audit(profiles[i]);
    admin::RoleGate gate(profiles[i], audit, crypto::PassphraseCost::kInteractive);
    const auto grant = gate.unlock(store::Role::kAdministrator, kAdminPassphrase, "test");
    admin::Administration administration(profiles[i], audit);
    for (std::size_t j = 0; j < profiles.size(); ++j) {
      if (i == j) continue;
      const std::string peer = administration.import_card(grant, cards[j], std::nullopt, false);
      if (verified) administration.verify(grant, peer, std::string("test"));
    }
  }
  profiles.clear();  // closed: the sessions open them again on their workers
  for (const auto& name : names) {
    ui::SessionOptions o;
    o.profile_dir = dir_.path() / name;
    o.audio = ui::AudioMode::kTone;
    o.presence_interval = std::chrono::milliseconds(500);
    o.role_cost = crypto::PassphraseCost::kInteractive;
    UiConsole c;
    c.session = std::make_unique<ui::ConsoleSession>(o);
    c.session->start();
    consoles_.push_back(std::move(c));
  }
  for (auto& c : consoles_) {
    wait_until([&] { return c.session->running(); }, "the console to start");
    c.window = std::make_unique<ui::MainWindow>(*c.session);
    c.window->show();
  }
}

ConsoleSet::~ConsoleSet() {
  for (auto& c : consoles_) c.window.reset();  // windows before the sessions they show
  consoles_.clear();
}

}  // namespace hotline::test
