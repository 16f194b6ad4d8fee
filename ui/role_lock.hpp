#pragma once
// Which roles are unlocked in this window, and for how long. A role unlocks with its
// passphrase (checked on the worker, counted and slowed down there) and locks again after
// the configured idle time without keyboard or mouse input, or at once on request. The
// official's call view never needs a passphrase.

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QObject>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>

#include "ui/console_session.hpp"

namespace hotline::ui {

class RoleLock : public QObject {
  Q_OBJECT

 public:
  RoleLock(ConsoleSession& session, QObject* parent = nullptr);

  bool unlocked(store::Role role) const;
  // Checks the passphrase on the worker; `done` gets the error message, empty on success.
  void unlock(store::Role role, const QString& passphrase, QObject* context,
              std::function<void(QString error)> done);
  void lock_all();
  void set_idle_minutes(int minutes) {
    set_idle_timeout(std::chrono::minutes(std::max(1, minutes)));
  }
  void set_idle_timeout(std::chrono::milliseconds timeout);

 signals:
  void changed();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  ConsoleSession& session_;
  bool operator_ = false;
  bool admin_ = false;
  std::chrono::milliseconds idle_timeout_{std::chrono::minutes(5)};
  QTimer idle_;
};

class UnlockDialog : public QDialog {
  Q_OBJECT

 public:
  UnlockDialog(RoleLock& lock, store::Role role, QWidget* parent = nullptr);
  QLineEdit* passphrase() const { return passphrase_; }
  QPushButton* unlock_button() const { return unlock_; }
  QLabel* error() const { return error_; }

 private:
  RoleLock& lock_;
  store::Role role_;
  QLineEdit* passphrase_;
  QPushButton* unlock_;
  QLabel* error_;
};

// A page that needs a role: a lock screen with an Unlock button until the role is unlocked.
class RoleGatedPage : public QStackedWidget {
  Q_OBJECT

 public:
  RoleGatedPage(RoleLock& lock, store::Role role, QWidget* content, QWidget* parent = nullptr);
  QPushButton* unlock_button() const { return unlock_; }
  QWidget* content() const { return content_; }

 signals:
  void unlockedNow();

 private:
  void refresh();
  RoleLock& lock_;
  store::Role role_;
  QWidget* locked_;
  QWidget* content_;
  QPushButton* unlock_;
};

QString role_name(store::Role role);  // translated

}  // namespace hotline::ui
