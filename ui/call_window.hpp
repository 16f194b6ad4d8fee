#pragma once
// The call, over a dialog. A modal dialog (importing a card, a passphrase, a file chooser)
// blocks its whole application window, so a call that rings while one is open could neither
// be seen nor answered. The main window then shows the call in this small window instead: a
// child of the dialog, which modality does not block, on top of it, with the same panel and
// keys as the Calls tab. The dialog stays as it was; the window goes when the call ends or
// the dialog closes.

#include <QWidget>

#include "ui/call_controller.hpp"
#include "ui/call_panel.hpp"

namespace hotline::ui {

class CallWindow : public QWidget {
  Q_OBJECT

 public:
  CallWindow(CallController& calls, QWidget* over);
  CallPanel* panel() const { return panel_; }
  QWidget* over() const { return parentWidget(); }

 protected:
  // Not while the call is on: it would leave the call behind the dialog again.
  void closeEvent(QCloseEvent* event) override;

 private:
  CallController& calls_;
  CallPanel* panel_;
};

}  // namespace hotline::ui
