#include "ui/main_window.hpp"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QStatusBar>
#include <QVBoxLayout>

#include "ui/language.hpp"
#include "ui/texts.hpp"

namespace hotline::ui {

MainWindow::MainWindow(ConsoleSession& session, QWidget* parent)
    : QMainWindow(parent), session_(session), roles_(session) {
  setWindowIcon(QIcon(":/icons/hotline-console.svg"));
  roles_.set_idle_minutes(session.info().settings.role_idle_minutes);
  if (QSystemTrayIcon::isSystemTrayAvailable()) {
    tray_ = new QSystemTrayIcon(QIcon(":/icons/hotline-console.svg"), this);
    tray_->show();
  }
  connect(&session_.calls(), &CallController::incomingCall, this, &MainWindow::on_incoming);
  connect(&session_.calls(), &CallController::missedChanged, this, [this](int count) {
    update_calls_tab();
    if (count > 0 && tray_) {
      tray_->showMessage(tr("Missed call"),
                         tr("%n missed call(s) on %1", nullptr, count).arg(session_.info().name),
                         QSystemTrayIcon::Warning);
    }
  });
  connect(&session_.calls(), &CallController::activeChanged, this, &MainWindow::update_calls_tab);
  connect(&roles_, &RoleLock::changed, this, &MainWindow::update_roles);
  connect(&session_.calls(), &CallController::recordsHealthChanged, this, [this] {
    update_records_warning();
    const auto& health = session_.calls().records_health();
    if (health.failing && tray_) {
      tray_->showMessage(tr("Records not written"), records_warning_->text(),
                         QSystemTrayIcon::Warning);
    }
  });
  build();
}

void MainWindow::build() {
  const int current = tabs_ ? tabs_->currentIndex() : 0;
  setWindowTitle(tr("Hotline Console — %1").arg(session_.info().name));
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
  });
  layout->addWidget(tabs_, 1);
  QWidget* old = centralWidget();
  setCentralWidget(central);
  if (old) old->deleteLater();
  tabs_->setCurrentIndex(current);
  update_calls_tab();
  update_roles();
  update_records_warning();
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
  tabs_->setTabText(0, missed > 0 ? tr("Calls (%n missed)", nullptr, missed) : tr("Calls"));
  tabs_->setTabIcon(0, QIcon(missed > 0 ? ":/icons/missed.svg" : ":/icons/call.svg"));
  if (session_.calls().active()) tabs_->setCurrentIndex(0);
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

void MainWindow::on_incoming(const call::CallStats& call) {
  tabs_->setCurrentIndex(0);
  showNormal();
  raise();
  activateWindow();
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
