#pragma once
// The GUI thread's handle on one console. Everything the console is — profile, store,
// engine, administration — lives in a ConsoleBackend that belongs to a worker thread; the GUI
// reaches it only through run(), which executes a function on the worker and hands its
// result (or the error's message) back on the GUI thread. No code on the GUI thread can touch
// the backend, so no database, network or audio work ever blocks it. Engine events come
// through EngineEvents to the CallController on the GUI thread.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/util/error.hpp"
#include "ui/call_controller.hpp"
#include "ui/console_backend.hpp"
#include "ui/error_text.hpp"
#include "ui/queued_call.hpp"

namespace hotline::ui {

// A result from the worker: a value, or the message of what went wrong.
template <typename T>
struct Outcome {
  std::optional<T> value;
  QString error;
  bool ok() const { return value.has_value(); }
};

// What the GUI knows of its console once it runs.
struct ConsoleInfo {
  QString name;
  QString fingerprint;
  QString card;  // this console's peer card, for export and the QR code
  ConsoleSettings settings;
  bool key_protected = false;
  bool admin_passphrase_set = false;
  bool operator_passphrase_set = false;
};

// Why a console could not start, where the user can do something about it.
enum class StartFailure {
  kOther,
  kWrongPassphrase,  // the key passphrase: ask again
  kAddressInUse,     // another program has the listening port: offer another address
};

class ConsoleSession : public QObject {
  Q_OBJECT

 public:
  explicit ConsoleSession(SessionOptions options, QObject* parent = nullptr);
  ~ConsoleSession() override;  // stops the console (hanging up) before the controller goes

  // Opens the profile and starts the console on the worker. Emits started() or startFailed().
  void start(std::optional<std::string> key_passphrase = std::nullopt);
  bool running() const { return engine_ != nullptr; }
  const ConsoleInfo& info() const { return info_; }
  void set_settings(const ConsoleSettings& settings) { info_.settings = settings; }
  CallController& calls() { return calls_; }
  const SessionOptions& options() const { return options_; }

  // Runs `work` with the backend on the worker thread, then `done` on the GUI thread unless
  // `context` is gone by then. An exception in `work` becomes Outcome::error.
  template <typename T>
  void run(std::function<T(ConsoleBackend&)> work, QObject* context,
           std::function<void(Outcome<T>)> done) {
    QPointer<QObject> guard(context);
    post_to(worker_, [this, work = std::move(work), guard, done = std::move(done)] {
      Outcome<T> out;
      try {
        if (!backend_) throw Error("the console is not running");
        out.value = work(*backend_);
      } catch (const std::exception& e) {
        out.error = error_text(e);
      }
      // Back through the session, which outlives the worker; `guard` is read there only.
      post_to(this, [guard, done, out = std::move(out)] {
        if (guard) done(out);
      });
    });
  }

 signals:
  void started();
  // `listen`: the listening address, when it was the problem.
  void startFailed(const QString& message, hotline::ui::StartFailure kind, const QString& listen);
  // The directory changed (an administrator's action, here or in another process): views
  // that show peers reload.
  void directoryChanged();
  // Another process changed the settings: the session has them (info().settings) already.
  void settingsChanged();

 public:
  // Before the console runs (its port was taken): sets the listening address. The one setting
  // changed without the administrator role, so that a console whose port is taken can still
  // be started by whoever sits at it; on the audit log under the login name, role "-".
  // `done` gets an error message, empty on success.
  // The key passphrase unlocks the profile so the change is signed in the audit log.
  void change_listen_address(const QString& address, std::optional<std::string> key_passphrase,
                             QObject* context, std::function<void(QString)> done);

 private:
  SessionOptions options_;
  CallController calls_;
  EngineEvents events_{calls_};
  QThread thread_;
  QObject* worker_;  // lives in thread_: the context of everything run there
  std::unique_ptr<ConsoleBackend> backend_;  // worker thread only
  call::Engine* engine_ = nullptr;           // thread-safe API; set once started
  ConsoleInfo info_;
};

}  // namespace hotline::ui
