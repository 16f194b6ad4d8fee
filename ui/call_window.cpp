#include "ui/call_window.hpp"

#include <QCloseEvent>
#include <QVBoxLayout>

#include "ui/call_shortcuts.hpp"

namespace hotline::ui {

CallWindow::CallWindow(CallController& calls, QWidget* over)
    : QWidget(over, Qt::Window | Qt::WindowStaysOnTopHint), calls_(calls) {
  setObjectName("callWindow");
  setWindowTitle(tr("Call"));
  setAttribute(Qt::WA_DeleteOnClose);
  auto* layout = new QVBoxLayout(this);
  panel_ = new CallPanel(calls, this);
  layout->addWidget(panel_);
  new CallShortcuts(calls, this);
}

void CallWindow::closeEvent(QCloseEvent* event) {
  if (calls_.active()) {
    event->ignore();
    return;
  }
  QWidget::closeEvent(event);
}

}  // namespace hotline::ui
