// Settings show and save the truth (the administrators' review): the form waits, disabled and
// saying so, until the stored values have arrived, and Save writes only what the user changed,
// so a placeholder or a value another administrator changed meanwhile is never written over.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <future>

#include "tests/ui/console_fixture.hpp"

using namespace hotline;
using namespace hotline::test;
using Catch::Matchers::ContainsSubstring;

namespace {

// Runs `work` on the console's worker and waits for it.
template <typename T>
T on_worker(UiConsole& console, std::function<T(ui::ConsoleBackend&)> work) {
  std::optional<ui::Outcome<T>> result;
  console.session->run<T>(std::move(work), console.window.get(),
                          [&result](ui::Outcome<T> out) { result = std::move(out); });
  wait_until([&] { return result.has_value(); }, "the worker");
  REQUIRE(result->ok());
  return *result->value;
}

}  // namespace

TEST_CASE("Settings: disabled while loading; Save writes only the fields that were changed") {
  ConsoleSet set({"Beijing"});
  UiConsole& bj = set[0];
  ignore_worker_leaks(bj);
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  // The worker is busy (a slow sound system, say): the page's load waits behind this.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bj.session->run<bool>(
      [released](ui::ConsoleBackend&) {
        released.wait();
        return true;
      },
      bj.window.get(), [](ui::Outcome<bool>) {});
  bj.window->tabs()->setCurrentIndex(4);
  ui::SettingsPage& page = *bj.window->settings_page();
  wait_until([&] { return page.isVisible(); }, "the settings page");
  CHECK_FALSE(page.form()->isEnabled());
  CHECK_FALSE(page.save_button()->isEnabled());
  CHECK_THAT(page.status()->text().toStdString(), ContainsSubstring("Loading"));
  release.set_value();
  wait_until([&] { return page.form()->isEnabled() && page.save_button()->isEnabled(); },
             "the values to arrive");
  CHECK(page.idle_minutes()->value() == 5);
  // These consoles' keys have no passphrase: the administrator is told what that gives up.
  CHECK(page.key_warning()->isVisible());
  CHECK_THAT(page.key_warning()->text().toStdString(), ContainsSubstring("no passphrase"));

  // Meanwhile another administrator sets the bitrate (from the command line, say) ...
  on_worker<bool>(bj, [](ui::ConsoleBackend& b) {
    b.administration.set_setting(b.grant(store::Role::kAdministrator), console::kSettingBitrate,
                                 "24000");
    return true;
  });
  // ... and this one changes only the idle time.
  page.idle_minutes()->setValue(7);
  click(page.save_button());
  wait_until([&] { return page.status()->text().startsWith("Saved"); }, "the save");
  const auto stored = on_worker<console::ConsoleSettings>(
      bj, [](ui::ConsoleBackend& b) { return console::read_settings(b.profile); });
  CHECK(stored.role_idle_minutes == 7);
  CHECK(stored.bitrate == 24000);  // the form's older 32000 was not written over it

  // Nothing changed: nothing written, and said so.
  click(page.save_button());
  CHECK_THAT(page.status()->text().toStdString(), ContainsSubstring("Nothing to save"));
  // An empty address gets a sentence, not the parser's words.
  page.listen_address()->clear();
  click(page.save_button());
  CHECK(page.status()->text() ==
        "Enter the address this console listens on, such as 0.0.0.0:47000.");
}

TEST_CASE("Settings: noise suppression has its own switch, stored apart from echo cancellation") {
  // The defect: one box said "Echo cancellation and noise suppression" but turned only echo
  // cancellation off; the suppressor could not be switched off at all.
  ConsoleSet set({"Beijing"});
  UiConsole& bj = set[0];
  ignore_worker_leaks(bj);
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  bj.window->tabs()->setCurrentIndex(4);
  ui::SettingsPage& page = *bj.window->settings_page();
  wait_until([&] { return page.form()->isEnabled(); }, "the values to arrive");
  CHECK(page.echo_cancellation()->isChecked());
  CHECK(page.noise_suppression()->isChecked());
  page.noise_suppression()->setChecked(false);
  click(page.save_button());
  wait_until([&] { return page.status()->text().startsWith("Saved"); }, "the save");
  const auto stored = on_worker<console::ConsoleSettings>(
      bj, [](ui::ConsoleBackend& b) { return console::read_settings(b.profile); });
  CHECK_FALSE(stored.noise_suppression);
  CHECK(stored.echo_cancellation);
  const auto value = on_worker<std::string>(bj, [](ui::ConsoleBackend& b) {
    return b.profile.settings().get(console::kSettingNoiseSuppression).value_or("");
  });
  CHECK(value == "off");
}

TEST_CASE("the audit page's verdict and its rows are of the same log") {
  ConsoleSet set({"Beijing"});
  UiConsole& bj = set[0];
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  bj.window->tabs()->setCurrentIndex(3);
  ui::AuditPage& audit = *bj.window->audit_page();
  wait_until([&] { return audit.table()->rowCount() > 0; }, "the audit log");
  const int before = audit.table()->rowCount();
  // Entries are added while the page is open (an administrator's change from elsewhere).
  on_worker<bool>(bj, [](ui::ConsoleBackend& b) {
    b.administration.set_setting(b.grant(store::Role::kAdministrator),
                                 console::kSettingRoleIdleMinutes, "9");
    b.administration.set_setting(b.grant(store::Role::kAdministrator),
                                 console::kSettingRoleIdleMinutes, "10");
    return true;
  });
  click(audit.verify_button());
  wait_until([&] { return audit.verdict()->text().startsWith("Intact"); }, "the verdict");
  CHECK(audit.table()->rowCount() == before + 2);
  // Who changed what is sealed in the file (docs/records.md, "Sealed audit text"); the page
  // shows it opened with the administrator's keys.
  CHECK_THAT(audit.table()->item(0, 5)->text().toStdString(), ContainsSubstring("role idle time"));
  CHECK_FALSE(audit.table()->item(0, 3)->text().isEmpty());
  CHECK_THAT(audit.verdict()->text().toStdString(),
             ContainsSubstring(std::to_string(audit.table()->rowCount()) + " entries"));
  // Shown again later: read again, and no verdict of the earlier look.
  bj.window->tabs()->setCurrentIndex(0);
  bj.window->tabs()->setCurrentIndex(3);
  CHECK(audit.verdict()->text().isEmpty());
}
