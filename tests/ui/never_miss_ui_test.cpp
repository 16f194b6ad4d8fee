// A hotline never misses a call by accident (the officials' review): a call that rings while
// a dialog is open can be seen and answered; the call keys work on every tab and the call
// shows there; closing the window does not stop the console and quitting asks during a call;
// the console can start at login; no test tone plays into a call.

#include <QDialog>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QVBoxLayout>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "tests/ui/console_fixture.hpp"
#include "ui/autostart.hpp"
#include "ui/call_shortcuts.hpp"

using namespace hotline;
using namespace hotline::test;
using call::CallState;
using Catch::Matchers::ContainsSubstring;

namespace {

void ring(UiConsole& from, UiConsole& to, const char* peer) {
  wait_for_tile(from, peer);
  click(from.page().tile(peer)->call_button());
  wait_until([&] { return to.calls().ringing_incoming(); }, "the call to ring");
}

void connect_call(UiConsole& from, UiConsole& to, const char* peer) {
  ring(from, to, peer);
  click(to.panel().accept_button());
  wait_until(
      [&] {
        return from.in_state(CallState::kConnected) && to.in_state(CallState::kConnected) &&
               !to.calls().active()->sas.empty();
      },
      "the call to connect with its words");
}

void press(QWidget* window, const QKeySequence& keys) {
  window->activateWindow();
  REQUIRE(QTest::qWaitForWindowActive(window));
  const QKeyCombination combination = keys[0];
  QTest::keyClick(window, combination.key(), combination.keyboardModifiers());
}

// A click delivered as the window system would deliver it: to the window, at the button's
// place, so that a modal dialog blocks it (QTest's widget clicks go straight to the widget).
void click_through_window_system(QWidget& window, QPushButton* button) {
  const QPoint at = button->mapTo(&window, button->rect().center());
  QTest::mouseClick(window.windowHandle(), Qt::LeftButton, {}, at);
}

QPushButton* button_with_text(QWidget* parent, const QString& text) {
  for (auto* b : parent->findChildren<QPushButton*>()) {
    if (b->text() == text) return b;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a call that rings while a dialog is open comes up over it and is answered there") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  UiConsole& sg = set[1];
  // An administrator is half way through a dialog (window-modal, as the card and PSK dialogs).
  auto* dialog = new QDialog(sg.window.get());
  auto* typed = new QLineEdit(dialog);
  (new QVBoxLayout(dialog))->addWidget(typed);
  dialog->open();
  typed->setText("half-typed address");
  wait_until([&] { return QApplication::activeModalWidget() == dialog; }, "the dialog");

  ring(bj, sg, "Singapore");
  // The defect as found: the main window's Accept is on screen, but a click on it (through
  // the window system, which applies modality) does nothing while the dialog is open.
  QSignalSpy blocked_accept(sg.panel().accept_button(), &QPushButton::clicked);
  click_through_window_system(*sg.window, sg.panel().accept_button());
  CHECK(blocked_accept.count() == 0);
  // The call's own window is over the dialog, a child of it, with the caller's name.
  wait_until([&] { return sg.window->call_window() && sg.window->call_window()->isVisible(); },
             "the call window");
  ui::CallWindow* over = sg.window->call_window();
  CHECK(over->over() == dialog);
  CHECK(over->panel()->state_label()->text() == "Incoming call");
  // Accepting there works although the main window is blocked by the dialog.
  click(over->panel()->accept_button());
  wait_until([&] { return sg.in_state(CallState::kConnected); }, "the call to connect");
  // The dialog is kept as it was.
  CHECK(dialog->isVisible());
  CHECK(typed->text() == "half-typed address");
  // While the dialog stays, so does the call in its window; once it closes, the main window's
  // panel has the call again.
  CHECK(sg.window->call_window() == over);
  dialog->accept();
  wait_until([&] { return sg.window->call_window() == nullptr; }, "the call window to go");
  CHECK(sg.panel().hangup_button()->isVisible());
  // The same kind of click reaches the main window again.
  QSignalSpy hangup(sg.panel().hangup_button(), &QPushButton::clicked);
  click_through_window_system(*sg.window, sg.panel().hangup_button());
  CHECK(hangup.count() == 1);
  wait_until([&] { return !bj.calls().active() && !sg.calls().active(); }, "the call to end");
}

TEST_CASE("a dialog opened during a ringing call gets the call window over it") {
  ConsoleSet set({"Beijing", "Singapore"});
  ring(set[0], set[1], "Singapore");
  CHECK(set[1].window->call_window() == nullptr);  // nothing to cover the main window's panel
  auto* dialog = new QDialog(set[1].window.get());
  dialog->open();
  wait_until([&] { return set[1].window->call_window() != nullptr; }, "the call window");
  // Declining with its key, from the call window.
  press(set[1].window->call_window(), ui::CallKeys::decline());
  wait_until([&] { return !set[1].calls().active(); }, "the call to be declined");
  wait_until([&] { return set[1].window->call_window() == nullptr; }, "the call window to go");
  CHECK(dialog->isVisible());
  dialog->reject();
}

TEST_CASE("call keys work on every tab, which shows the call; confirming is not Ctrl+W") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  UiConsole& sg = set[1];
  connect_call(bj, sg, "Singapore");
  sg.window->tabs()->setCurrentIndex(3);  // the Audit log
  CHECK(sg.window->call_strip()->isVisible());
  CHECK_THAT(sg.window->tabs()->tabText(0).toStdString(), ContainsSubstring("call in progress"));
  // The call keys act from here.
  press(sg.window.get(), ui::CallKeys::mute());
  wait_until([&] { return sg.calls().active()->muted; }, "mute");
  press(sg.window.get(), QKeySequence(Qt::CTRL | Qt::Key_W));  // the desktops' "close"
  press(sg.window.get(), ui::CallKeys::mute());
  // The engine takes commands in order: once the unmute is back, a confirmation sent by
  // Ctrl+W would be too.
  wait_until([&] { return !sg.calls().active()->muted; }, "unmute");
  CHECK_FALSE(sg.calls().active()->sas_confirmed_local);
  press(sg.window.get(), ui::CallKeys::confirm_words());
  wait_until([&] { return bj.calls().active()->sas_confirmed_remote; }, "the confirmation");
  CHECK(sg.window->tabs()->currentIndex() == 3);  // still where the official was
  press(sg.window.get(), ui::CallKeys::hangup());
  wait_until([&] { return !bj.calls().active() && !sg.calls().active(); }, "the call to end");
  CHECK_FALSE(sg.window->call_strip()->isVisible());
  CHECK(sg.window->tabs()->tabText(0) == "Calls");
  // No call key is one a desktop convention already claims (Close, Quit, Undo, …).
  const QList<QKeySequence> ours =
      ui::CallKeys::accept() + QList<QKeySequence>{ui::CallKeys::decline(), ui::CallKeys::mute(),
                                                   ui::CallKeys::confirm_words()};
  for (int key = QKeySequence::HelpContents; key <= QKeySequence::Backspace; ++key) {
    for (const QKeySequence& claimed :
         QKeySequence::keyBindings(static_cast<QKeySequence::StandardKey>(key))) {
      INFO("standard key " << key << ": " << claimed.toString().toStdString());
      CHECK_FALSE(ours.contains(claimed));
    }
  }
}

TEST_CASE("closing the window keeps the console ringing; quitting during a call asks first") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  UiConsole& sg = set[1];
  QSignalSpy quit(sg.window.get(), &ui::MainWindow::quitRequested);
  CHECK_FALSE(sg.window->close());  // Alt+F4, the title bar's ×
  CHECK(sg.session->running());
  CHECK_FALSE(sg.window->closed_to_tray());  // no tray on this platform: minimised
  CHECK(sg.window->isMinimized());
  CHECK_THAT(sg.window->statusBar()->currentMessage().toStdString(),
             ContainsSubstring("keeps running") && ContainsSubstring("Quit"));
  // A call still rings, and brings the window back.
  connect_call(bj, sg, "Singapore");
  CHECK_FALSE(sg.window->isMinimized());

  // Quitting during the call asks; staying keeps the call.
  click(sg.window->quit_button());
  wait_until([&] { return sg.window->quit_question() && sg.window->quit_question()->isVisible(); },
             "the question");
  CHECK_THAT(sg.window->quit_question()->text().toStdString(), ContainsSubstring("Beijing"));
  click(button_with_text(sg.window->quit_question(), "Stay in the call"));
  wait_until([&] { return sg.window->quit_question() == nullptr; }, "the question to close");
  CHECK(quit.count() == 0);
  CHECK(sg.in_state(CallState::kConnected));
  // Ending the call and quitting.
  sg.window->request_quit();
  wait_until([&] { return sg.window->quit_question() != nullptr; }, "the question again");
  click(button_with_text(sg.window->quit_question(), "End the call and quit"));
  wait_until([&] { return quit.count() == 1; }, "the quit");
  wait_until([&] { return !bj.calls().active(); }, "the caller's call to end");
  // With no call, Quit quits at once.
  QSignalSpy bj_quit(bj.window.get(), &ui::MainWindow::quitRequested);
  click(bj.window->quit_button());
  CHECK(bj_quit.count() == 1);
}

TEST_CASE("the console can start at login (XDG autostart), and no test tone plays into a call") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& sg = set[1];
  ignore_worker_leaks(sg);
  const bool config_was_set = qEnvironmentVariableIsSet("XDG_CONFIG_HOME");
  const QByteArray config_before = qgetenv("XDG_CONFIG_HOME");
  qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((set.root() / "config").string()));
  sg.unlock(store::Role::kAdministrator, kAdminPassphrase);
  sg.window->tabs()->setCurrentIndex(4);
  ui::SettingsPage& settings = *sg.window->settings_page();
  CHECK_FALSE(settings.autostart()->isChecked());
  settings.autostart()->click();
  const QString entry = ui::autostart_entry_path();
  CHECK(entry.startsWith(QString::fromStdString((set.root() / "config" / "autostart").string())));
  QFile file(entry);
  REQUIRE(file.open(QIODevice::ReadOnly));
  const std::string text = file.readAll().toStdString();
  CHECK_THAT(text, ContainsSubstring("[Desktop Entry]") &&
                       ContainsSubstring("--profile \"" + (set.root() / "Singapore").string()));
  file.close();
  settings.autostart()->click();
  CHECK_FALSE(QFile::exists(entry));
  if (config_was_set) {
    qputenv("XDG_CONFIG_HOME", config_before);
  } else {
    qunsetenv("XDG_CONFIG_HOME");
  }

  // The test tone: available before the call, unavailable while it lasts.
  wait_until([&] { return settings.form()->isEnabled(); }, "the settings to load");
  CHECK(settings.test_button()->isEnabled());
  // (Not started here: PortAudio's plugins would load on threads whose leaks LeakSanitizer
  // cannot tell from ours; the device tests cover the tone itself.)
  ring(set[0], sg, "Singapore");
  wait_until([&] { return !settings.test_button()->isEnabled(); }, "the tone to be refused");
  click(sg.panel().decline_button());
  wait_until([&] { return settings.test_button()->isEnabled(); }, "the tone to be available");
}
