#pragma once
// The official's call keys, for a whole window: Accept Ctrl+Enter, Decline Ctrl+D, Hang up or
// Cancel Ctrl+H, Mute Ctrl+M, "we read the same words" Ctrl+Shift+Y. They act on the call
// itself, not on a button, so they work on every tab of the main window and in the call
// window shown over a dialog. Ctrl+W is the desktops' "close window" and is not used.

#include <QKeySequence>
#include <QList>
#include <QObject>

#include "ui/call_controller.hpp"

namespace hotline::ui {

struct CallKeys {
  static QList<QKeySequence> accept() {
    return {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)};
  }
  static QKeySequence decline() { return QKeySequence(Qt::CTRL | Qt::Key_D); }
  static QKeySequence hangup() { return QKeySequence(Qt::CTRL | Qt::Key_H); }
  static QKeySequence mute() { return QKeySequence(Qt::CTRL | Qt::Key_M); }
  static QKeySequence confirm_words() { return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y); }
};

class CallShortcuts : public QObject {
  Q_OBJECT

 public:
  // Shortcuts of `window` (the top-level widget they belong to).
  CallShortcuts(CallController& calls, QWidget* window);

 private:
  CallController& calls_;
};

}  // namespace hotline::ui
