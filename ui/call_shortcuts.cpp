#include "ui/call_shortcuts.hpp"

#include <QShortcut>
#include <QWidget>
#include <functional>

namespace hotline::ui {

CallShortcuts::CallShortcuts(CallController& calls, QWidget* window)
    : QObject(window), calls_(calls) {
  const auto bind = [window](const QKeySequence& keys, std::function<void()> action) {
    auto* shortcut = new QShortcut(keys, window);
    shortcut->setContext(Qt::WindowShortcut);
    QObject::connect(shortcut, &QShortcut::activated, window, std::move(action));
  };
  const auto connected = [this] {
    const auto& active = calls_.active();
    return active && active->state == call::CallState::kConnected;
  };
  for (const QKeySequence& keys : CallKeys::accept()) {
    bind(keys, [this] {
      if (calls_.ringing_incoming()) calls_.answer();
    });
  }
  bind(CallKeys::decline(), [this] {
    if (calls_.ringing_incoming()) calls_.decline();
  });
  bind(CallKeys::hangup(), [this] {
    if (calls_.active() && !calls_.ringing_incoming()) calls_.hangup();
  });
  bind(CallKeys::mute(), [this, connected] {
    if (connected()) calls_.set_muted(!calls_.active()->muted);
  });
  bind(CallKeys::confirm_words(), [this, connected] {
    const auto& active = calls_.active();
    if (connected() && !active->sas.empty() && !active->sas_confirmed_local) calls_.confirm_sas();
  });
}

}  // namespace hotline::ui
