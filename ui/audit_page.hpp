#pragma once
// The administrator's view of the audit log, with a Verify button that checks the hash chain
// and every signature and names the first entry edited, removed or reordered. The list is read
// again whenever the page is shown and with every Verify, so the verdict's count and the rows
// under it are of the same log.

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

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  ConsoleSession& session_;
  QTableWidget* table_;
  QLabel* verdict_;
  QPushButton* verify_;
};

}  // namespace hotline::ui
