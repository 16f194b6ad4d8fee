#pragma once
// Consoles for the widget tests: real profiles in a temporary directory that know each other
// (imported and verified by the administration code), each running in a ConsoleSession with a
// tone device, and its MainWindow shown on the offscreen platform. Waiting is for conditions
// (QTest::qWaitFor), never for a fixed time.

#include <QPushButton>
#include <QTest>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_paths.hpp"
#include "ui/main_window.hpp"

namespace hotline::test {

inline constexpr const char* kOperatorPassphrase = "operator pass";
inline constexpr const char* kAdminPassphrase = "admin pass";

struct UiConsole {
  std::unique_ptr<ui::ConsoleSession> session;
  std::unique_ptr<ui::MainWindow> window;
  ui::CallController& calls() { return session->calls(); }
  ui::CallsPage& page() { return *window->calls_page(); }
  ui::CallPanel& panel() { return *window->calls_page()->panel(); }
  // Unlocks a role through the real dialog: passphrase typed, Unlock clicked.
  void unlock(store::Role role, const QString& passphrase);
  bool in_state(call::CallState state) const;
};

class ConsoleSet {
 public:
  // Consoles with these names, each knowing all the others (verified unless `unverified`).
  explicit ConsoleSet(std::vector<std::string> names, bool verified = true);
  ~ConsoleSet();
  UiConsole& operator[](std::size_t i) { return consoles_[i]; }
  const std::filesystem::path& root() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::vector<UiConsole> consoles_;
};

// Waits up to `ms` for `condition` while the event loop runs; REQUIREs it.
void wait_until(const std::function<bool()>& condition, const char* what, int ms = 20000);
void click(QPushButton* button);
// Until the directory shows `peer`'s tile with its Call button on screen.
void wait_for_tile(UiConsole& console, const char* peer);
// For tests that open Settings: its sound-device scan and test tone load PortAudio's ALSA and
// PulseAudio plugins on the console's worker, which are unloaded with memory still allocated
// (tests/support/leak_check_pause.hpp). LeakSanitizer then ignores what that worker allocates;
// the test's own thread and the engine stay checked. No-op without ASan.
void ignore_worker_leaks(UiConsole& console);

}  // namespace hotline::test
