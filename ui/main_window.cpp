#include "ui/main_window.hpp"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QMenu>
#include <QShortcut>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/call_shortcuts.hpp"
#include "ui/language.hpp"
#include "ui/texts.hpp"

namespace hotline::ui {
namespace {

// Whether `modal` keeps input from `window`: application-modal dialogs block every window,
// window-modal ones the window they belong to.
bool blocks(const QWidget* modal, const QWidget* window) {
  if (modal == nullptr || !modal->isVisible()) return false;
  if (modal->windowModality() == Qt::ApplicationModal) return true;
  const QWidget* parent = modal->parentWidget();
  return parent != nullptr && parent->window() == window;
}

}  // namespace

MainWindow::MainWindow(ConsoleSession& session, QWidget* parent)
    : QMainWindow(parent), session_(session), roles_(session) {
  setWindowIcon(QIcon(":/icons/hotline-console.svg"));
  roles_.set_idle_minutes(session.info().settings.role_idle_minutes);
  connect(&session_, &ConsoleSession::settingsChanged, this,
          [this] { roles_.set_idle_minutes(session_.info().settings.role_idle_minutes); });
  if (QSystemTrayIcon::isSystemTrayAvailable()) {
    tray_ = new QSystemTrayIcon(QIcon(":/icons/hotline-console.svg"), this);
    auto* menu = new QMenu(this);
    menu->addAction(tr("Show the console"), this, &MainWindow::show_from_tray);
    menu->addAction(tr("Quit"), this, &MainWindow::request_quit);
    tray_->setContextMenu(menu);
    connect(tray_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
      if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick) show_from_tray();
    });
    tray_->show();
  }
  new CallShortcuts(session_.calls(), this);
  auto* quit_keys = new QShortcut(QKeySequence::Quit, this);
  connect(quit_keys, &QShortcut::activated, this, &MainWindow::request_quit);
  qApp->installEventFilter(this);
  connect(&session_.calls(), &CallController::incomingCall, this, &MainWindow::on_incoming);
  connect(&session_.calls(), &CallController::missedChanged, this, [this](int count) {
    update_calls_tab();
    if (count > 0 && tray_) {
      tray_->showMessage(tr("Missed call"),
                         tr("%n missed call(s) on %1", nullptr, count).arg(session_.info().name),
                         QSystemTrayIcon::Warning);
    }
  });
  connect(&session_.calls(), &CallController::activeChanged, this, [this] {
    update_calls_tab();
    update_call_strip();
    place_call_window();
  });
  connect(&roles_, &RoleLock::changed, this, &MainWindow::update_roles);
  connect(&session_.calls(), &CallController::recordsHealthChanged, this, [this] {
    update_records_warning();
    const auto& health = session_.calls().records_health();
    if (health.failing && tray_) {
      tray_->showMessage(tr("Records not written"), records_warning_->text(),
                         QSystemTrayIcon::Warning);
    }
  });
  connect(&session_.calls(), &CallController::directoryTamperingChanged, this, [this] {
    update_directory_warning();
    // Not the label's visibility: it is false while the window is hidden in the tray.
    if (!session_.calls().directory_tampering().isEmpty() && tray_) {
      tray_->showMessage(tr("Peer directory changed outside the console"),
                         directory_warning_->text(), QSystemTrayIcon::Critical);
    }
  });
  build();
  connect(&session_.calls(), &CallController::historyKeyProblemsChanged, this, [this] {
    update_history_key_warning();
    tell_history_key_problems();
  });
  tell_history_key_problems();  // found at start, before this window existed
}

void MainWindow::tell_history_key_problems() {
  if (session_.calls().history_key_problems().isEmpty() || !tray_) return;
  tray_->showMessage(tr("Call history key changed outside the console"),
                     history_key_warning_->text(), QSystemTrayIcon::Critical);
}

QSize MainWindow::initial_size(const QRect& available) {
  const QSize designed(900, 680);
  if (!available.isValid()) return designed;
  return designed.boundedTo(QSize(available.width() * 95 / 100, available.height() * 90 / 100));
}

void MainWindow::build() {
  const int current = tabs_ ? tabs_->currentIndex() : 0;
  // Ends with the application's display name, which the window system then does not add a
  // second time.
  setWindowTitle(tr("%1 — Hotline Console").arg(session_.info().name));
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  auto* header = new QHBoxLayout;
  auto* who = new QLabel("<b>" + session_.info().name.toHtmlEscaped() + "</b>", central);
  who->setToolTip(tr("This console's fingerprint: %1").arg(session_.info().fingerprint));
  header->addWidget(who);
  header->addStretch();
  roles_label_ = new QLabel(central);
  header->addWidget(roles_label_);
  auto* lock = new QPushButton(QIcon(":/icons/lock.svg"), tr("Lock"), central);
  lock->setToolTip(tr("Lock the operator and administrator roles now"));
  lock->setAccessibleName(tr("Lock the roles"));
  header->addWidget(lock);
  connect(lock, &QPushButton::clicked, &roles_, &RoleLock::lock_all);
  quit_ = new QPushButton(tr("Quit"), central);
  quit_->setToolTip(
      tr("Stop the console: no call reaches it until it is started again (Ctrl+Q). Closing "
         "the window keeps it running."));
  quit_->setAccessibleName(tr("Quit the console"));
  header->addWidget(quit_);
  connect(quit_, &QPushButton::clicked, this, &MainWindow::request_quit);
  layout->addLayout(header);
  notice_label_ = new QLabel(notice_text(), central);
  notice_label_->setWordWrap(true);
  notice_label_->setVisible(!notice_label_->text().isEmpty());
  notice_label_->setStyleSheet("background: #FFF8E1; padding: 6px;");
  layout->addWidget(notice_label_);
  records_warning_ = new QLabel(central);
  records_warning_->setWordWrap(true);
  records_warning_->setStyleSheet("background: #FDECEA; color: #8A1C1C; padding: 6px;");
  records_warning_->setAccessibleName(tr("Records warning"));
  layout->addWidget(records_warning_);
  directory_warning_ = new QLabel(central);
  directory_warning_->setWordWrap(true);
  directory_warning_->setStyleSheet(records_warning_->styleSheet());
  directory_warning_->setAccessibleName(tr("Peer directory warning"));
  layout->addWidget(directory_warning_);
  history_key_warning_ = new QLabel(central);
  history_key_warning_->setWordWrap(true);
  history_key_warning_->setStyleSheet(records_warning_->styleSheet());
  history_key_warning_->setAccessibleName(tr("Call history key warning"));
  layout->addWidget(history_key_warning_);
  call_strip_ = new QWidget(central);
  call_strip_->setObjectName("callStrip");
  call_strip_->setStyleSheet("#callStrip { background: #E3F2FD; }");
  auto* strip = new QHBoxLayout(call_strip_);
  call_strip_text_ = new QLabel(call_strip_);
  call_strip_text_->setWordWrap(true);
  strip->addWidget(call_strip_text_, 1);
  auto* to_call = new QPushButton(QIcon(":/icons/call.svg"), tr("Show the call"), call_strip_);
  strip->addWidget(to_call);
  connect(to_call, &QPushButton::clicked, this, [this] { tabs_->setCurrentIndex(0); });
  layout->addWidget(call_strip_);

  tabs_ = new QTabWidget(central);
  calls_ = new CallsPage(session_, tabs_);
  history_ = new HistoryPage(session_);
  peers_ = new PeersPage(session_);
  audit_ = new AuditPage(session_);
  settings_ = new SettingsPage(session_);
  history_gate_ = new RoleGatedPage(roles_, store::Role::kOperator, history_, tabs_);
  peers_gate_ = new RoleGatedPage(roles_, store::Role::kAdministrator, peers_, tabs_);
  audit_gate_ = new RoleGatedPage(roles_, store::Role::kAdministrator, audit_, tabs_);
  settings_gate_ = new RoleGatedPage(roles_, store::Role::kAdministrator, settings_, tabs_);
  tabs_->addTab(calls_, QIcon(":/icons/call.svg"), tr("Calls"));
  tabs_->addTab(history_gate_, QIcon(":/icons/history.svg"), tr("History"));
  tabs_->addTab(peers_gate_, QIcon(":/icons/peers.svg"), tr("Peers"));
  tabs_->addTab(audit_gate_, QIcon(":/icons/audit.svg"), tr("Audit log"));
  tabs_->addTab(settings_gate_, QIcon(":/icons/settings.svg"), tr("Settings"));
  connect(history_gate_, &RoleGatedPage::unlockedNow, history_, &HistoryPage::reload);
  connect(peers_gate_, &RoleGatedPage::unlockedNow, peers_, &PeersPage::reload);
  connect(audit_gate_, &RoleGatedPage::unlockedNow, audit_, &AuditPage::reload);
  // Settings load (and probe the sound system) when shown, not on unlock.
  if (roles_.unlocked(store::Role::kOperator)) history_->reload();
  if (roles_.unlocked(store::Role::kAdministrator)) {
    peers_->reload();
    audit_->reload();
  }
  connect(settings_, &SettingsPage::saved, this, [this](const ConsoleSettings& s) {
    roles_.set_idle_minutes(s.role_idle_minutes);
    if (QString::fromStdString(s.language) != current_language()) {
      set_language(QString::fromStdString(s.language));  // LanguageChange rebuilds the pages
    }
  });
  connect(tabs_, &QTabWidget::currentChanged, this, [this](int index) {
    if (index == 0 && !session_.calls().active()) session_.calls().mark_missed_seen();
    update_call_strip();
  });
  layout->addWidget(tabs_, 1);
  QWidget* old = centralWidget();
  setCentralWidget(central);
  if (old) old->deleteLater();
  tabs_->setCurrentIndex(current);
  update_calls_tab();
  update_call_strip();
  update_roles();
  update_records_warning();
  update_directory_warning();
  update_history_key_warning();
}

RoleGatedPage* MainWindow::gate(store::Role role) const {
  return role == store::Role::kOperator ? history_gate_ : peers_gate_;
}

void MainWindow::set_notice(std::function<QString()> text) {
  notice_ = std::move(text);
  notice_label_->setText(notice_text());
  notice_label_->setVisible(!notice_label_->text().isEmpty());
}

QString MainWindow::notice_text() const {
  return notice_ ? notice_() : QString();
}

void MainWindow::update_calls_tab() {
  const int missed = session_.calls().missed();
  const bool in_call = session_.calls().active().has_value();
  tabs_->setTabText(0, in_call      ? tr("Calls · call in progress")
                       : missed > 0 ? tr("Calls (%n missed)", nullptr, missed)
                                    : tr("Calls"));
  tabs_->setTabIcon(0, QIcon(missed > 0 && !in_call ? ":/icons/missed.svg" : ":/icons/call.svg"));
}

void MainWindow::update_call_strip() {
  const auto& active = session_.calls().active();
  const bool show = active && tabs_->currentIndex() != 0;
  call_strip_->setVisible(show);
  if (!show) return;
  const QString peer = peer_display_name(active->peer);
  if (session_.calls().ringing_incoming()) {
    call_strip_text_->setText(tr("%1 is calling: Ctrl+Enter answers, Ctrl+D declines.").arg(peer));
  } else if (active->state == call::CallState::kConnected) {
    call_strip_text_->setText(tr("In a call with %1: Ctrl+H hangs up, Ctrl+M mutes.").arg(peer));
  } else {
    call_strip_text_->setText(tr("Calling %1: Ctrl+H cancels.").arg(peer));
  }
}

void MainWindow::place_call_window() {
  QWidget* modal = QApplication::activeModalWidget();
  const bool needed = session_.calls().active() && modal != call_window_ && blocks(modal, this);
  if (call_window_ && (!needed || call_window_->over() != modal)) {
    CallWindow* old = call_window_;
    call_window_ = nullptr;
    old->hide();
    old->deleteLater();
  }
  if (!needed || call_window_) return;
  call_window_ = new CallWindow(session_.calls(), modal);
  call_window_->show();
  call_window_->raise();
  call_window_->activateWindow();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  const auto type = event->type();
  if ((type == QEvent::MouseButtonPress || type == QEvent::KeyPress) &&
      session_.calls().missed() > 0 && tabs_->currentIndex() == 0 && !session_.calls().active()) {
    // The official's first touch of the window with the Calls tab in front is seeing the
    // missed calls (their arrival alone is not: nobody may be at the desk).
    auto* widget = qobject_cast<QWidget*>(watched);
    if (widget && widget->window() == this) session_.calls().mark_missed_seen();
  }
  if (event->type() == QEvent::Show || event->type() == QEvent::Hide) {
    auto* widget = qobject_cast<QWidget*>(watched);
    if (widget && widget->isWindow() && widget->isModal() && widget != call_window_ &&
        session_.calls().active()) {
      // After the event: the dialog's visibility and modality are settled by then.
      QTimer::singleShot(0, this, &MainWindow::place_call_window);
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::show_from_tray() {
  showNormal();
  raise();
  activateWindow();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (quitting_) {
    QMainWindow::closeEvent(event);
    return;
  }
  // A console with its window closed still answers calls; only Quit stops it.
  event->ignore();
  closed_to_tray_ = tray_ != nullptr;
  if (tray_) {
    hide();
  } else {
    showMinimized();
  }
  if (told_still_running_) return;
  told_still_running_ = true;
  const QString text = tray_ ? tr("Hotline Console keeps running in the tray and rings for "
                                  "calls. To stop it, choose Quit in its menu (or Ctrl+Q).")
                             : tr("Hotline Console keeps running and rings for calls. To stop "
                                  "it, choose Quit (Ctrl+Q).");
  if (tray_) tray_->showMessage(tr("Still running"), text, QSystemTrayIcon::Information, 10'000);
  statusBar()->showMessage(text);
}

void MainWindow::request_quit() {
  const auto quit = [this] {
    quitting_ = true;
    if (session_.calls().active()) session_.calls().hangup();
    emit quitRequested();
  };
  const auto& active = session_.calls().active();
  if (!active) {
    quit();
    return;
  }
  show_from_tray();
  if (quit_question_) {
    quit_question_->raise();
    return;
  }
  auto* box = new QMessageBox(
      QMessageBox::Warning, tr("Quit during a call?"),
      tr("A call with %1 is in progress. Quitting ends it, and no call reaches this console "
         "until it is started again.")
          .arg(peer_display_name(active->peer)),
      QMessageBox::NoButton, this);
  QPushButton* end = box->addButton(tr("End the call and quit"), QMessageBox::DestructiveRole);
  QPushButton* stay = box->addButton(tr("Stay in the call"), QMessageBox::RejectRole);
  box->setDefaultButton(stay);
  box->setEscapeButton(stay);
  box->setAttribute(Qt::WA_DeleteOnClose);
  connect(box, &QMessageBox::finished, this, [box, end, quit] {
    if (box->clickedButton() == end) quit();
  });
  quit_question_ = box;
  box->open();
}

void MainWindow::update_roles() {
  QStringList open;
  if (roles_.unlocked(store::Role::kOperator)) open << role_name(store::Role::kOperator);
  if (roles_.unlocked(store::Role::kAdministrator)) open << role_name(store::Role::kAdministrator);
  roles_label_->setText(open.isEmpty() ? tr("Official") : tr("Unlocked: %1").arg(open.join(", ")));
}

void MainWindow::update_records_warning() {
  const auto& health = session_.calls().records_health();
  records_warning_->setVisible(health.failing);
  if (!health.failing) return;
  records_warning_->setText(
      tr("⚠ The console cannot write its records now (call history, replay protection): %1. "
         "Calls go on; what waits is kept in memory and retried every %2 seconds.")
          .arg(QString::fromStdString(health.problem))
          .arg(console::CallRecorder::kHeartbeat.count()));
}

void MainWindow::update_directory_warning() {
  const QStringList& problems = session_.calls().directory_tampering();
  directory_warning_->setVisible(!problems.isEmpty());
  if (problems.isEmpty()) return;
  directory_warning_->setText(
      tr("⚠ The peer directory was changed outside the console; those peers are refused until "
         "an administrator removes them and imports their cards again: %1")
          .arg(problems.join("; ")));
}

void MainWindow::update_history_key_warning() {
  const QStringList& problems = session_.calls().history_key_problems();
  history_key_warning_->setVisible(!problems.isEmpty());
  if (problems.isEmpty()) return;
  history_key_warning_->setText(
      tr("⚠ A role's call-history key was changed outside the console; calls are not sealed "
         "to it until an administrator sets that role's passphrase again: %1")
          .arg(problems.join("; ")));
}

void MainWindow::on_incoming(const call::CallStats& call) {
  tabs_->setCurrentIndex(0);
  show_from_tray();
  place_call_window();
  QApplication::alert(this);  // flashes the task bar entry until the window is used
  if (tray_) {
    tray_->showMessage(
        tr("Incoming call"),
        tr("%1 is calling %2").arg(peer_display_name(call.peer), session_.info().name),
        QSystemTrayIcon::Information, 30'000);
  }
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange && tabs_) build();
  QMainWindow::changeEvent(event);
}

}  // namespace hotline::ui
