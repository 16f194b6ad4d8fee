#include "ui/screenshot_tour.hpp"

#include <QDir>
#include <QPixmap>

#include "ui/demo.hpp"
#include "ui/language.hpp"
#include "ui/main_window.hpp"

namespace hotline::ui {
namespace {

constexpr int kPollMs = 50;
constexpr int kStepTimeoutMs = 30'000;

}  // namespace

ScreenshotTour::ScreenshotTour(MainWindow& caller, MainWindow& callee, QString directory,
                               QObject* parent)
    : QObject(parent), caller_(caller), callee_(callee), directory_(std::move(directory)) {
  connect(&timer_, &QTimer::timeout, this, &ScreenshotTour::poll);
  auto& calls = caller_.session().calls();
  auto& incoming = callee_.session().calls();
  // Connected with the SAS words shown: only then can they be confirmed.
  const auto connected = [](CallController& c) {
    return c.active() && c.active()->state == call::CallState::kConnected &&
           !c.active()->sas.empty();
  };
  const auto unlock = [this](MainWindow& w, store::Role role, const char* passphrase) {
    w.roles().unlock(role, passphrase, this, [this](QString error) {
      if (!error.isEmpty()) emit finished(false, error);
      unlocked_ = true;
    });
  };
  add(
      "directory", [] { return true; }, [this] { grab(caller_, "calls-directory"); });
  add(
      "dial", [] { return true; }, [&calls] { calls.call("Singapore"); });
  add(
      "incoming call", [&incoming] { return incoming.ringing_incoming(); },
      [this] { grab(callee_, "call-incoming"); });
  add(
      "accept", [] { return true; }, [&incoming] { incoming.answer(); });
  add(
      "in call", [&calls, connected] { return connected(calls); },
      [&calls] { calls.confirm_sas(); });
  add(
      "SAS confirmed",
      [&calls, &incoming, connected] {
        return calls.active() && calls.active()->sas_confirmed_local && connected(incoming);
      },
      [&incoming] { incoming.confirm_sas(); });
  // Two seconds of voice, so the meters, the timer and the quality line show something.
  add(
      "voice flowing",
      [&calls] {
        const auto live = calls.live_stats();
        return live && live->sas_confirmed_remote && live->media.voice_packets_received > 100 &&
               live->rtt_samples > 0;
      },
      [this] { grab(caller_, "call-connected"); });
  add(
      "hang up", [] { return true; }, [&calls] { calls.hangup(); });
  add(
      "ended", [&calls, &incoming] { return !calls.active() && !incoming.active(); },
      [this] { grab(caller_, "calls-ended"); });
  add(
      "unlock operator", [] { return true; },
      [this, unlock] {
        unlocked_ = false;
        unlock(caller_, store::Role::kOperator, kDemoOperatorPassphrase);
      });
  add(
      "history", [this] { return unlocked_ && caller_.history_page()->model()->rowCount() > 0; },
      [this] {
        caller_.tabs()->setCurrentIndex(1);
        caller_.history_page()->table()->selectRow(0);
      });
  add(
      "history shown", [] { return true; }, [this] { grab(caller_, "history"); });
  add(
      "unlock administrator", [] { return true; },
      [this, unlock] {
        unlocked_ = false;
        unlock(caller_, store::Role::kAdministrator, kDemoAdminPassphrase);
      });
  add(
      "peers", [this] { return unlocked_ && caller_.peers_page()->table()->rowCount() > 0; },
      [this] {
        caller_.tabs()->setCurrentIndex(2);
        grab(caller_, "peers");
        caller_.audit_page()->verify();
      });
  add(
      "audit", [this] { return !caller_.audit_page()->verdict()->text().contains("…"); },
      [this] {
        caller_.tabs()->setCurrentIndex(3);
        caller_.audit_page()->reload();
      });
  add(
      "audit shown", [this] { return caller_.audit_page()->table()->rowCount() > 0; },
      [this] { grab(caller_, "audit"); });
  add(
      "settings", [] { return true; }, [this] { caller_.tabs()->setCurrentIndex(4); });
  add(
      "settings shown", [] { return true; }, [this] { grab(caller_, "settings"); });
  add(
      "Chinese", [] { return true; },
      [this] {
        set_language("zh_CN");
        caller_.tabs()->setCurrentIndex(0);
      });
  add(
      "Chinese directory", [] { return true; }, [this] { grab(caller_, "calls-directory-zh"); });
  add(
      "Chinese history", [] { return true; }, [this] { caller_.tabs()->setCurrentIndex(1); });
  add(
      "Chinese history shown", [this] { return caller_.history_page()->model()->rowCount() > 0; },
      [this] {
        grab(caller_, "history-zh");
        set_language("en");
      });
}

void ScreenshotTour::add(QString what, std::function<bool()> ready, std::function<void()> run) {
  steps_.push_back({std::move(what), std::move(ready), std::move(run)});
}

void ScreenshotTour::start() {
  QDir().mkpath(directory_);
  timer_.start(kPollMs);
}

void ScreenshotTour::grab(MainWindow& window, const QString& name) {
  const QString path = directory_ + "/" + name + ".png";
  if (!window.grab().save(path)) {
    emit finished(false, tr("cannot write %1").arg(path));
    return;
  }
  ++grabbed_;
}

void ScreenshotTour::poll() {
  if (next_ >= steps_.size()) {
    timer_.stop();
    emit finished(true, tr("%n screenshot(s) in %1", nullptr, grabbed_).arg(directory_));
    return;
  }
  Step& step = steps_[next_];
  if (!step.ready()) {
    waited_ms_ += kPollMs;
    if (waited_ms_ > kStepTimeoutMs) {
      timer_.stop();
      emit finished(false, tr("timed out at step '%1'").arg(step.what));
    }
    return;
  }
  waited_ms_ = 0;
  ++next_;
  step.run();
}

}  // namespace hotline::ui
