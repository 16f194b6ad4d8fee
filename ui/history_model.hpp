#pragma once
// The call history as a table model over the store, not a copy of it: it holds the rows
// fetched so far and fetches further pages on the worker as the view scrolls (canFetchMore /
// fetchMore). Sorting and filtering run the query again in the store, where the indexes are.

#include <QAbstractTableModel>
#include <vector>

#include "core/store/call_history.hpp"
#include "ui/console_session.hpp"

namespace hotline::ui {

class HistoryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kStarted, kDirection, kPeer, kOutcome, kDuration, kSas, kQuality, kNote, kColumns };
  static constexpr int kPage = 200;

  HistoryModel(ConsoleSession& session, QObject* parent = nullptr);

  void set_filter(const store::HistoryFilter& filter);  // reloads
  const store::HistoryFilter& filter() const { return filter_; }
  void reload();
  const store::CallRecord* record(int row) const;
  std::int64_t total() const { return total_; }
  // Calls in the store the operator's key cannot open (HistoryAccess::unreadable).
  std::int64_t unreadable() const { return unreadable_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  void sort(int column, Qt::SortOrder order) override;

 signals:
  void loaded();  // a query's rows arrived
  void failed(const QString& message);

 private:
  void fetch(std::int64_t offset, bool replace);

  ConsoleSession& session_;
  store::HistoryFilter filter_;
  std::vector<store::CallRecord> rows_;
  std::int64_t total_ = 0;
  std::int64_t unreadable_ = 0;
  std::uint64_t generation_ = 0;  // answers to an older query are dropped
  bool fetching_ = false;
};

}  // namespace hotline::ui
