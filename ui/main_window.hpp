#pragma once
// One console's window. The official's Calls page needs no passphrase; History needs the
// operator role; Peers, Audit and Settings the administrator role. An incoming call raises
// and flashes the window, shows a tray notification and switches to the call; a missed call
// leaves a badge on the Calls tab until it is seen (the Calls tab chosen, or the first click
// or key in the window while it is in front). A language change rebuilds the pages.
//
// A hotline never misses a call by accident: the call keys work on every tab, and a call in
// progress shows above every tab; a call that rings while a modal dialog is open comes up in a
// call window over that dialog (CallWindow); closing the window keeps the console running (in
// the tray, else minimised), and quitting is an explicit action that asks during a call.

#include <QCloseEvent>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <functional>

#include "ui/audit_page.hpp"
#include "ui/call_window.hpp"
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
  // The size a window opens at on a screen with `available` room (logical pixels): the
  // designed 900 × 680, smaller where the screen is (at scale factor 2 a 1080-line screen has
  // 540 logical lines).
  static QSize initial_size(const QRect& available);

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
  QLabel* directory_warning() const { return directory_warning_; }
  // Shown when a role's history key in the file is not the one its passphrase made: the
  // console then keeps its calls from that role (docs/records.md, "Sealed history").
  QLabel* history_key_warning() const { return history_key_warning_; }
  // The call, shown above the tabs while another tab is in front.
  QWidget* call_strip() const { return call_strip_; }
  QPushButton* quit_button() const { return quit_; }
  // The call window over a modal dialog, while one is needed (nullptr otherwise).
  CallWindow* call_window() const { return call_window_; }
  // The question asked when quitting during a call, while it is open.
  QMessageBox* quit_question() const { return quit_question_; }
  // Quits, once confirmed if a call is in progress: emits quitRequested.
  void request_quit();
  // What closing the window did last: hidden in the tray, or minimised without a tray.
  bool closed_to_tray() const { return closed_to_tray_; }

 signals:
  // The official chose to quit (the application ends the event loop).
  void quitRequested();

 protected:
  void changeEvent(QEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  // Watches the application's dialogs: one that opens or closes during a call moves the call
  // window.
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void build();
  QString notice_text() const;
  void update_calls_tab();
  void on_incoming(const call::CallStats& call);
  void update_roles();
  void update_records_warning();
  void update_directory_warning();
  void update_history_key_warning();
  void tell_history_key_problems();  // a tray message, while there are any
  void update_call_strip();
  void place_call_window();
  void show_from_tray();

  ConsoleSession& session_;
  RoleLock roles_;
  std::function<QString()> notice_;
  QTabWidget* tabs_ = nullptr;
  QLabel* notice_label_ = nullptr;
  QLabel* records_warning_ = nullptr;
  QLabel* directory_warning_ = nullptr;
  QLabel* history_key_warning_ = nullptr;
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
  QWidget* call_strip_ = nullptr;
  QLabel* call_strip_text_ = nullptr;
  QPushButton* quit_ = nullptr;
  QPointer<CallWindow> call_window_;
  QPointer<QMessageBox> quit_question_;
  bool told_still_running_ = false;
  bool closed_to_tray_ = false;
  bool quitting_ = false;
};

}  // namespace hotline::ui
