#pragma once
// The administrator's view of the audit log, with a Verify button that checks the hash chain
// and every signature and names the first entry edited, removed or reordered.

#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>

#include "ui/console_session.hpp"

namespace hotline::ui {

class AuditPage : public QWidget {
  Q_OBJECT

 public:
  AuditPage(ConsoleSession& session, QWidget* parent = nullptr);
  void reload();
  void verify();
  QTableWidget* table() const { return table_; }
  QLabel* verdict() const { return verdict_; }
  QPushButton* verify_button() const { return verify_; }

 signals:
  void verified(bool intact);

 private:
  ConsoleSession& session_;
  QTableWidget* table_;
  QLabel* verdict_;
  QPushButton* verify_;
};

}  // namespace hotline::ui
