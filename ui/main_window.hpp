#pragma once
// One console's window. The official's Calls page needs no passphrase; History needs the
// operator role; Peers, Audit and Settings the administrator role. An incoming call raises
// and flashes the window, shows a tray notification and switches to the call; a missed call
// leaves a badge on the Calls tab until it is seen. A language change rebuilds the pages.

#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <functional>

#include "ui/audit_page.hpp"
#include "ui/calls_page.hpp"
#include "ui/console_session.hpp"
#include "ui/history_page.hpp"
#include "ui/peers_page.hpp"
#include "ui/role_lock.hpp"
#include "ui/settings_page.hpp"

namespace hotline::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(ConsoleSession& session, QWidget* parent = nullptr);

  ConsoleSession& session() { return session_; }
  RoleLock& roles() { return roles_; }
  QTabWidget* tabs() const { return tabs_; }
  CallsPage* calls_page() const { return calls_; }
  HistoryPage* history_page() const { return history_; }
  PeersPage* peers_page() const { return peers_; }
  AuditPage* audit_page() const { return audit_; }
  SettingsPage* settings_page() const { return settings_; }
  RoleGatedPage* gate(store::Role role) const;
  // A line under the tabs for the whole console ("no sound card: tone devices", say), asked
  // of `text` again whenever the language changes.
  void set_notice(std::function<QString()> text);
  QLabel* notice_label() const { return notice_label_; }
  // Shown while the store refuses the console's records.
  QLabel* records_warning() const { return records_warning_; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  QString notice_text() const;
  void update_calls_tab();
  void on_incoming(const call::CallStats& call);
  void update_roles();
  void update_records_warning();

  ConsoleSession& session_;
  RoleLock roles_;
  std::function<QString()> notice_;
  QTabWidget* tabs_ = nullptr;
  QLabel* notice_label_ = nullptr;
  QLabel* records_warning_ = nullptr;
  QLabel* roles_label_ = nullptr;
  CallsPage* calls_ = nullptr;
  HistoryPage* history_ = nullptr;
  PeersPage* peers_ = nullptr;
  AuditPage* audit_ = nullptr;
  SettingsPage* settings_ = nullptr;
  RoleGatedPage* history_gate_ = nullptr;
  RoleGatedPage* peers_gate_ = nullptr;
  RoleGatedPage* audit_gate_ = nullptr;
  RoleGatedPage* settings_gate_ = nullptr;
  QSystemTrayIcon* tray_ = nullptr;
};

}  // namespace hotline::ui
