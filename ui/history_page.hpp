#pragma once
// The operator's page: the call history with filters (peer, direction, outcome, date range,
// text), sortable columns, a details pane with the quality summary and the SAS confirmation,
// the operator's note, and export of what the filter selects to CSV and to a PDF report.

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTextBrowser>
#include <QWidget>
#include <optional>

#include "ui/console_session.hpp"
#include "ui/history_model.hpp"

namespace hotline::ui {

class HistoryPage : public QWidget {
  Q_OBJECT

 public:
  HistoryPage(ConsoleSession& session, QWidget* parent = nullptr);

  void reload();
  HistoryModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  QComboBox* peer_filter() const { return peer_; }
  QComboBox* outcome_filter() const { return outcome_; }
  QComboBox* direction_filter() const { return direction_; }
  QLineEdit* search() const { return search_; }
  QLabel* status() const { return status_; }  // matches, and calls the key cannot open
  QPlainTextEdit* note() const { return note_; }
  QPushButton* save_note_button() const { return save_note_; }
  QTextBrowser* details() const { return details_; }
  // Exports without asking for a file name (tests, scripted use); `done` gets the error.
  void export_to(const QString& path, bool pdf, std::function<void(QString)> done);

 signals:
  void exported(const QString& path);

 private:
  store::HistoryFilter current_filter() const;
  void apply_filter();
  void show_details();
  void ask_export(bool pdf);

  ConsoleSession& session_;
  HistoryModel* model_;
  QComboBox* peer_;
  QComboBox* direction_;
  QComboBox* outcome_;
  QCheckBox* use_dates_;
  QDateEdit* from_;
  QDateEdit* to_;
  QLineEdit* search_;
  QTableView* table_;
  QTextBrowser* details_;
  QPlainTextEdit* note_;
  QPushButton* save_note_;
  std::optional<std::int64_t> keep_selected_;  // the call to select again after a reload
  QLabel* status_;
};

}  // namespace hotline::ui
