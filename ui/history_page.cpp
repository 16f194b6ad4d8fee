#include "ui/history_page.hpp"

#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QSplitter>
#include <QVBoxLayout>
#include <fstream>

#include "core/admin/history_access.hpp"
#include "ui/history_report.hpp"
#include "ui/texts.hpp"

namespace hotline::ui {

HistoryPage::HistoryPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), session_(session), model_(new HistoryModel(session, this)) {
  auto* layout = new QVBoxLayout(this);
  auto* filters = new QHBoxLayout;
  peer_ = new QComboBox(this);
  peer_->setAccessibleName(tr("Filter by peer"));
  peer_->addItem(tr("All peers"), QString());
  direction_ = new QComboBox(this);
  direction_->setAccessibleName(tr("Filter by direction"));
  direction_->addItem(tr("Both directions"), QString());
  direction_->addItem(direction_text(store::CallDirection::kIn), "in");
  direction_->addItem(direction_text(store::CallDirection::kOut), "out");
  outcome_ = new QComboBox(this);
  outcome_->setAccessibleName(tr("Filter by outcome"));
  outcome_->addItem(tr("All outcomes"), QString());
  for (std::size_t i = 0; i < store::kCallOutcomeCount; ++i) {
    const auto o = static_cast<store::CallOutcome>(i);
    outcome_->addItem(outcome_text(o), QString::fromUtf8(std::string(store::to_string(o)).c_str()));
  }
  use_dates_ = new QCheckBox(tr("From"), this);
  from_ = new QDateEdit(QDate::currentDate().addDays(-30), this);
  from_->setCalendarPopup(true);
  from_->setAccessibleName(tr("From date"));
  to_ = new QDateEdit(QDate::currentDate(), this);
  to_->setCalendarPopup(true);
  to_->setAccessibleName(tr("To date"));
  search_ = new QLineEdit(this);
  search_->setPlaceholderText(tr("Search name, fingerprint, SAS, reason or note"));
  search_->setAccessibleName(tr("Search the history"));
  search_->setClearButtonEnabled(true);
  filters->addWidget(peer_);
  filters->addWidget(direction_);
  filters->addWidget(outcome_);
  filters->addWidget(use_dates_);
  filters->addWidget(from_);
  filters->addWidget(new QLabel(tr("to"), this));
  filters->addWidget(to_);
  filters->addWidget(search_, 1);
  layout->addLayout(filters);

  auto* split = new QSplitter(Qt::Horizontal, this);
  table_ = new QTableView(split);
  table_->setModel(model_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(HistoryModel::kStarted, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->setVisible(false);
  table_->setAccessibleName(tr("Call history"));
  auto* side = new QWidget(split);
  auto* side_layout = new QVBoxLayout(side);
  details_ = new QTextBrowser(side);
  details_->setAccessibleName(tr("Call details"));
  side_layout->addWidget(details_, 1);
  side_layout->addWidget(new QLabel(tr("Operator's note:"), side));
  note_ = new QPlainTextEdit(side);
  note_->setAccessibleName(tr("Operator's note"));
  note_->setMaximumHeight(100);
  side_layout->addWidget(note_);
  save_note_ = new QPushButton(tr("Save note"), side);
  side_layout->addWidget(save_note_);
  split->addWidget(table_);
  split->addWidget(side);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  auto* bottom = new QHBoxLayout;
  status_ = new QLabel(this);
  bottom->addWidget(status_, 1);
  auto* csv = new QPushButton(QIcon(":/icons/export.svg"), tr("Export CSV…"), this);
  auto* pdf = new QPushButton(QIcon(":/icons/export.svg"), tr("Export PDF report…"), this);
  bottom->addWidget(csv);
  bottom->addWidget(pdf);
  layout->addLayout(bottom);

  for (QComboBox* c : {peer_, direction_, outcome_}) {
    connect(c, &QComboBox::currentIndexChanged, this, &HistoryPage::apply_filter);
  }
  connect(use_dates_, &QCheckBox::toggled, this, &HistoryPage::apply_filter);
  connect(from_, &QDateEdit::dateChanged, this, &HistoryPage::apply_filter);
  connect(to_, &QDateEdit::dateChanged, this, &HistoryPage::apply_filter);
  connect(search_, &QLineEdit::textChanged, this, &HistoryPage::apply_filter);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &HistoryPage::show_details);
  connect(model_, &HistoryModel::loaded, this, [this] {
    QString status = tr("%n call(s) match", nullptr, static_cast<int>(model_->total()));
    if (const auto closed = static_cast<int>(model_->unreadable()); closed > 0) {
      status += " · " + tr("%n call(s) in the store cannot be opened with this passphrase (sealed "
                           "before it was set, or changed in the file); they are not shown",
                           nullptr, closed);
    }
    status_->setText(status);
    if (keep_selected_) {  // a reload after a note: the same call stays selected
      for (int row = 0; row < model_->rowCount(); ++row) {
        if (model_->record(row) && model_->record(row)->id == *keep_selected_) {
          table_->selectRow(row);
        }
      }
      keep_selected_.reset();
    }
    show_details();
  });
  connect(model_, &HistoryModel::failed, this, [this](const QString& e) { status_->setText(e); });
  connect(save_note_, &QPushButton::clicked, this, [this] {
    const store::CallRecord* r = model_->record(table_->currentIndex().row());
    if (!r) return;
    const std::int64_t id = r->id;
    const std::string text = note_->toPlainText().toStdString();
    session_.run<bool>(
        [id, text](ConsoleBackend& b) {
          b.history.set_note(b.grant(store::Role::kOperator), id, text);
          return true;
        },
        this,
        [this, id](Outcome<bool> out) {
          status_->setText(out.ok() ? tr("Note saved") : out.error);
          keep_selected_ = id;
          model_->reload();
        });
  });
  connect(csv, &QPushButton::clicked, this, [this] { ask_export(false); });
  connect(pdf, &QPushButton::clicked, this, [this] { ask_export(true); });
  connect(&session_.calls(), &CallController::callEnded, this, [this] { reload(); });
}

void HistoryPage::reload() {
  // The peer list for the filter comes from the history itself (removed peers included).
  session_.run<std::vector<std::string>>(
      [](ConsoleBackend& b) {
        std::vector<std::string> names;
        for (const auto& p : b.profile.peers().list()) names.push_back(p.name);
        for (const auto& p : b.profile.peers().removed()) names.push_back(p.name);
        return names;
      },
      this,
      [this](Outcome<std::vector<std::string>> out) {
        if (!out.ok()) return;
        const QString chosen = peer_->currentData().toString();
        peer_->blockSignals(true);
        while (peer_->count() > 1) peer_->removeItem(1);
        for (const auto& n : *out.value) {
          const QString name = QString::fromStdString(n);
          if (peer_->findData(name) < 0) peer_->addItem(name, name);
        }
        peer_->setCurrentIndex(std::max(0, peer_->findData(chosen)));
        peer_->blockSignals(false);
      });
  model_->set_filter(current_filter());
}

store::HistoryFilter HistoryPage::current_filter() const {
  store::HistoryFilter f;
  if (const QString p = peer_->currentData().toString(); !p.isEmpty()) f.peer = p.toStdString();
  if (const QString d = direction_->currentData().toString(); !d.isEmpty()) {
    f.direction = store::parse_call_direction(d.toStdString());
  }
  if (const QString o = outcome_->currentData().toString(); !o.isEmpty()) {
    f.outcome = store::parse_call_outcome(o.toStdString());
  }
  if (use_dates_->isChecked()) {
    f.since = QDateTime(from_->date(), QTime(0, 0)).toMSecsSinceEpoch();
    f.until = QDateTime(to_->date().addDays(1), QTime(0, 0)).toMSecsSinceEpoch();
  }
  if (!search_->text().trimmed().isEmpty()) f.text = search_->text().trimmed().toStdString();
  return f;
}

void HistoryPage::apply_filter() {
  model_->set_filter(current_filter());
}

void HistoryPage::show_details() {
  const store::CallRecord* r = model_->record(table_->currentIndex().row());
  // A note belongs to a call: with none selected there is nothing to write it on.
  note_->setEnabled(r != nullptr);
  save_note_->setEnabled(r != nullptr);
  if (!r) {
    details_->setHtml("<i>" + tr("Select a call to see its details.") + "</i>");
    note_->clear();
    return;
  }
  const QLocale locale;
  const auto when = [&](const std::optional<std::int64_t>& ms) {
    return ms ? locale.toString(QDateTime::fromMSecsSinceEpoch(*ms), QLocale::LongFormat) : tr("—");
  };
  QString html = "<h3>" + QString::fromStdString(r->peer_name).toHtmlEscaped() + "</h3><table>";
  const auto row = [&html](const QString& k, const QString& v) {
    html += "<tr><td><b>" + k + "</b>&nbsp;&nbsp;</td><td>" + v.toHtmlEscaped() + "</td></tr>";
  };
  row(tr("Direction"), direction_text(r->direction));
  row(tr("Outcome"), r->outcome ? outcome_text(*r->outcome) : tr("In progress"));
  row(tr("End reason"), end_reason_text(r->end_reason));
  row(tr("Started"), when(r->started_at));
  row(tr("Answered"), when(r->answered_at));
  row(tr("Ended"), when(r->ended_at));
  row(tr("Duration"), duration_text(r->duration_s));
  row(tr("Fingerprint"), QString::fromStdString(r->peer_fingerprint));
  row(tr("Key verified"), r->peer_verified ? tr("yes") : tr("NO"));
  row(tr("SAS"), QString::fromStdString(r->sas));
  row(tr("SAS confirmed here"), r->sas_confirmed_local ? tr("yes") : tr("no"));
  row(tr("SAS confirmed there"), r->sas_confirmed_remote ? tr("yes") : tr("no"));
  if (r->quality) {
    const store::CallQuality& q = *r->quality;
    row(tr("Mean round trip"), tr("%1 ms").arg(q.mean_rtt_ms, 0, 'f', 1));
    row(tr("Loss"), tr("%1 %").arg(q.loss_percent, 0, 'f', 2));
    row(tr("Jitter"), tr("%1 ms").arg(q.jitter_ms, 0, 'f', 1));
    row(tr("Concealed"), tr("%1 %").arg(q.concealed_percent, 0, 'f', 2));
    row(tr("Rebuilt by FEC"), tr("%n frame(s)", nullptr, static_cast<int>(q.fec_recovered)));
    row(tr("Interruptions"), QString::number(q.interruptions));
  }
  html += "</table>";
  details_->setHtml(html);
  note_->setPlainText(QString::fromStdString(r->note));
}

void HistoryPage::ask_export(bool pdf) {
  const QString path = QFileDialog::getSaveFileName(
      this, pdf ? tr("Export the history as a PDF report") : tr("Export the history as CSV"),
      pdf ? "history.pdf" : "history.csv", pdf ? tr("PDF (*.pdf)") : tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  export_to(path, pdf, [this](QString error) {
    if (!error.isEmpty()) status_->setText(error);
  });
}

void HistoryPage::export_to(const QString& path, bool pdf, std::function<void(QString)> done) {
  store::HistoryFilter f = current_filter();
  f.sort = model_->filter().sort;
  f.ascending = model_->filter().ascending;
  const QString console = session_.info().name;
  status_->setText(tr("Exporting…"));
  session_.run<bool>(
      [f, path, pdf, console](ConsoleBackend& b) {
        const auto& op = b.grant(store::Role::kOperator);
        if (pdf) {
          write_history_pdf(path, console, QString::fromStdString(admin::describe(f)),
                            b.history.export_for_report(op, f));
        } else {
          const std::string csv = b.history.export_calls(op, f, admin::HistoryAccess::Format::kCsv);
          std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
          // A byte-order mark: spreadsheet programs then read the names as UTF-8 (Chinese
          // names were garbled without it).
          out << "\xEF\xBB\xBF" << csv;
          out.close();
          if (!out) {
            throw Error(ErrorCode::kFileNotWritable, "cannot write " + path.toStdString(),
                        {path.toStdString()});
          }
        }
        return true;
      },
      this,
      [this, path, done](Outcome<bool> out) {
        status_->setText(out.ok() ? tr("Exported to %1").arg(path) : out.error);
        if (out.ok()) emit exported(path);
        done(out.error);
      });
}

}  // namespace hotline::ui
