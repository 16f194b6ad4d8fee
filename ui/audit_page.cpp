#include "ui/audit_page.hpp"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QVBoxLayout>

#include "ui/texts.hpp"

namespace hotline::ui {

AuditPage::AuditPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), session_(session) {
  auto* layout = new QVBoxLayout(this);
  table_ = new QTableWidget(0, 6, this);
  table_->setHorizontalHeaderLabels(
      {tr("No."), tr("Time"), tr("Role"), tr("Who"), tr("Action"), tr("Details")});
  table_->setObjectName("auditTable");
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAccessibleName(tr("Audit log"));
  layout->addWidget(table_, 1);
  auto* row = new QHBoxLayout;
  verdict_ = new QLabel(this);
  verdict_->setWordWrap(true);
  row->addWidget(verdict_, 1);
  verify_ = new QPushButton(QIcon(":/icons/audit.svg"), tr("Verify"), this);
  verify_->setToolTip(tr("Check the hash chain and every signature"));
  row->addWidget(verify_);
  auto* refresh = new QPushButton(tr("Refresh"), this);
  row->addWidget(refresh);
  layout->addLayout(row);
  connect(verify_, &QPushButton::clicked, this, &AuditPage::verify);
  connect(refresh, &QPushButton::clicked, this, &AuditPage::reload);
}

void AuditPage::reload() {
  session_.run<std::vector<store::AuditEntry>>(
      [](ConsoleBackend& b) { return b.audit.entries(b.grant(store::Role::kAdministrator)); }, this,
      [this](Outcome<std::vector<store::AuditEntry>> out) {
        if (!out.ok()) {
          verdict_->setText(out.error);
          return;
        }
        const auto& entries = *out.value;
        table_->setRowCount(static_cast<int>(entries.size()));
        const QLocale locale;
        for (int i = 0; i < static_cast<int>(entries.size()); ++i) {
          const auto& e =
              entries[entries.size() - 1 - static_cast<std::size_t>(i)];  // newest first
          const QStringList cells = {
              QString::number(e.seq),
              locale.toString(QDateTime::fromMSecsSinceEpoch(e.at), QLocale::ShortFormat),
              audit_role_text(e.role),
              QString::fromStdString(e.actor),
              audit_action_text(e.action),
              (e.text == store::AuditEntry::Text::kUnreadable
                   ? tr("(sealed text that the administrator's key does not open: written before "
                        "the present passphrase, or changed in the file)")
                   : audit_details_text(e.action, e.details)) +
                  (e.signature ? "" : tr("  [not signed yet]"))};
          for (int c = 0; c < cells.size(); ++c)
            table_->setItem(i, c, new QTableWidgetItem(cells[c]));
          // The codes as recorded and signed (what `hotline audit` prints and exports carry).
          table_->item(i, 2)->setToolTip(QString::fromStdString(e.role));
          table_->item(i, 4)->setToolTip(QString::fromStdString(e.action));
          table_->item(i, 5)->setToolTip(QString::fromStdString(e.details));
        }
        table_->resizeColumnsToContents();
      });
}

void AuditPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  verdict_->clear();  // a verdict of an earlier look would not be of what is listed now
  verdict_->setStyleSheet(QString());
  reload();
}

void AuditPage::verify() {
  reload();  // on the same worker, before the check: the rows and the count agree
  verdict_->setText(tr("Checking…"));
  session_.run<store::AuditVerdict>(
      [](ConsoleBackend& b) {
        b.grant(store::Role::kAdministrator);
        return b.audit.verify();
      },
      this,
      [this](Outcome<store::AuditVerdict> out) {
        if (!out.ok()) {
          verdict_->setText(out.error);
          return;
        }
        const store::AuditVerdict& v = *out.value;
        if (v.intact) {
          verdict_->setStyleSheet("color: #2E7D32; font-weight: bold;");
          verdict_->setText(tr("Intact: %n entries, hash chain and signatures check.", nullptr,
                               static_cast<int>(v.entries)) +
                            (v.unsigned_entries > 0 ? " " + tr("%n not signed yet.", nullptr,
                                                               static_cast<int>(v.unsigned_entries))
                                                    : QString()));
        } else {
          verdict_->setStyleSheet("color: #C62828; font-weight: bold;");
          verdict_->setText(tr("TAMPERED: %1").arg(QString::fromStdString(v.problem)));
        }
        emit verified(v.intact);
      });
}

}  // namespace hotline::ui
