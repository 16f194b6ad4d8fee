#include "ui/role_lock.hpp"

#include <sodium.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QVBoxLayout>

#include "core/store/history_records.hpp"

namespace hotline::ui {

QString role_name(store::Role role) {
  switch (role) {
    case store::Role::kOperator:
      return QCoreApplication::translate("Roles", "operator");
    case store::Role::kAdministrator:
      return QCoreApplication::translate("Roles", "administrator");
    case store::Role::kOfficial:
      break;
  }
  return QCoreApplication::translate("Roles", "official");
}

RoleLock::RoleLock(ConsoleSession& session, QObject* parent) : QObject(parent), session_(session) {
  idle_.setSingleShot(true);
  connect(&idle_, &QTimer::timeout, this, &RoleLock::lock_all);
  qApp->installEventFilter(this);
}

bool RoleLock::unlocked(store::Role role) const {
  return role == store::Role::kOperator        ? operator_
         : role == store::Role::kAdministrator ? admin_
                                               : true;
}

void RoleLock::unlock(store::Role role, const QString& passphrase, QObject* context,
                      std::function<void(QString)> done) {
  std::string secret = passphrase.toStdString();
  session_.run<bool>(
      [role, secret = std::move(secret)](ConsoleBackend& b) mutable {
        struct Wipe {
          std::string& s;
          ~Wipe() { sodium_memzero(s.data(), s.size()); }
        } wipe{secret};
        auto grant = b.gate.unlock(role, secret, admin::current_actor() + " (console)");
        // The operator's history is opened as part of the unlock: the first view is then as
        // quick as a filter (docs/performance.md, "Call history").
        if (store::HistoryRecords* history = grant.history();
            history && role == store::Role::kOperator) {
          history->load();
        }
        (role == store::Role::kOperator ? b.operator_grant : b.admin_grant)
            .emplace(std::move(grant));
        return true;
      },
      context,
      [this, role, done](Outcome<bool> out) {
        if (out.ok()) {
          (role == store::Role::kOperator ? operator_ : admin_) = true;
          idle_.start(idle_timeout_);
          emit changed();
        }
        done(out.error);
      });
}

void RoleLock::lock_all() {
  if (!operator_ && !admin_) return;
  operator_ = admin_ = false;
  idle_.stop();
  session_.run<bool>(
      [](ConsoleBackend& b) {
        b.operator_grant.reset();
        b.admin_grant.reset();
        b.tester.reset();
        return true;
      },
      this, [](Outcome<bool>) {});
  emit changed();
}

void RoleLock::set_idle_timeout(std::chrono::milliseconds timeout) {
  idle_timeout_ = timeout;
  if (idle_.isActive()) idle_.start(idle_timeout_);
}

bool RoleLock::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
      if (idle_.isActive()) idle_.start(idle_timeout_);
      break;
    default:
      break;
  }
  return QObject::eventFilter(watched, event);
}

UnlockDialog::UnlockDialog(RoleLock& lock, store::Role role, QWidget* parent)
    : QDialog(parent), lock_(lock), role_(role) {
  setWindowTitle(tr("Unlock the %1 role").arg(role_name(role)));
  setMinimumWidth(420);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Passphrase of the %1 role:").arg(role_name(role)), this));
  passphrase_ = new QLineEdit(this);
  passphrase_->setEchoMode(QLineEdit::Password);
  passphrase_->setAccessibleName(tr("Role passphrase"));
  layout->addWidget(passphrase_);
  error_ = new QLabel(this);
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #C62828;");
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  unlock_ = buttons->addButton(tr("Unlock"), QDialogButtonBox::AcceptRole);
  unlock_->setDefault(true);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(unlock_, &QPushButton::clicked, this, [this] {
    unlock_->setEnabled(false);
    error_->setText(tr("Checking…"));
    lock_.unlock(role_, passphrase_->text(), this, [this](QString error) {
      unlock_->setEnabled(true);
      passphrase_->clear();
      if (error.isEmpty()) {
        accept();
      } else {
        error_->setText(error);
        // A window does not grow for a wrapped label by itself: the longer sentences (the
        // lock-out's) were cut off at the dialog's first height.
        adjustSize();
      }
    });
  });
}

RoleGatedPage::RoleGatedPage(RoleLock& lock, store::Role role, QWidget* content, QWidget* parent)
    : QStackedWidget(parent), lock_(lock), role_(role), content_(content) {
  locked_ = new QWidget(this);
  auto* layout = new QVBoxLayout(locked_);
  layout->addStretch();
  auto* icon = new QLabel(locked_);
  icon->setPixmap(QIcon(":/icons/lock.svg").pixmap(64, 64));
  icon->setAlignment(Qt::AlignCenter);
  layout->addWidget(icon);
  auto* text = new QLabel(tr("This page needs the %1 role.").arg(role_name(role)), locked_);
  text->setAlignment(Qt::AlignCenter);
  layout->addWidget(text);
  unlock_ = new QPushButton(QIcon(":/icons/unlock.svg"), tr("Unlock…"), locked_);
  unlock_->setAccessibleName(tr("Unlock the %1 role").arg(role_name(role)));
  layout->addWidget(unlock_, 0, Qt::AlignCenter);
  layout->addStretch();
  addWidget(locked_);
  addWidget(content_);
  connect(unlock_, &QPushButton::clicked, this, [this] {
    UnlockDialog dialog(lock_, role_, this);
    dialog.exec();
  });
  connect(&lock_, &RoleLock::changed, this, &RoleGatedPage::refresh);
  refresh();
}

void RoleGatedPage::refresh() {
  const bool open = lock_.unlocked(role_);
  const bool was_open = currentWidget() == content_;
  setCurrentWidget(open ? content_ : locked_);
  if (open && !was_open) emit unlockedNow();
}

}  // namespace hotline::ui
