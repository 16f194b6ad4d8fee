#include "ui/history_model.hpp"

#include <QDateTime>
#include <QIcon>
#include <QLocale>

#include "ui/texts.hpp"

namespace hotline::ui {

HistoryModel::HistoryModel(ConsoleSession& session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {}

void HistoryModel::set_filter(const store::HistoryFilter& filter) {
  const auto sort = filter_.sort;
  const bool ascending = filter_.ascending;
  filter_ = filter;
  filter_.sort = sort;
  filter_.ascending = ascending;
  reload();
}

void HistoryModel::reload() {
  fetch(0, true);
}

void HistoryModel::fetch(std::int64_t offset, bool replace) {
  struct Page {
    std::vector<store::CallRecord> rows;
    std::int64_t total;
    std::int64_t unreadable;
  };
  store::HistoryFilter f = filter_;
  f.offset = offset;
  f.limit = kPage;
  const std::uint64_t generation = replace ? ++generation_ : generation_;
  fetching_ = true;
  session_.run<Page>(
      [f](ConsoleBackend& b) {
        const auto& op = b.grant(store::Role::kOperator);
        return Page{b.history.query(op, f), b.history.count(op, f), b.history.unreadable(op)};
      },
      this,
      [this, replace, generation](Outcome<Page> out) {
        if (generation != generation_) return;
        fetching_ = false;
        if (!out.ok()) {
          emit failed(out.error);
          return;
        }
        unreadable_ = out.value->unreadable;
        if (replace) {
          beginResetModel();
          rows_ = std::move(out.value->rows);
          total_ = out.value->total;
          endResetModel();
        } else if (!out.value->rows.empty()) {
          const int first = static_cast<int>(rows_.size());
          beginInsertRows({}, first, first + static_cast<int>(out.value->rows.size()) - 1);
          for (auto& r : out.value->rows) rows_.push_back(std::move(r));
          endInsertRows();
        }
        emit loaded();
      });
}

const store::CallRecord* HistoryModel::record(int row) const {
  return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)]
                                                          : nullptr;
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumns;
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
  const store::CallRecord* r = record(index.row());
  if (!r) return {};
  if (role == Qt::DecorationRole && index.column() == kPeer && !r->peer_verified) {
    return QIcon(":/icons/unverified.svg");
  }
  if (role == Qt::DecorationRole && index.column() == kOutcome &&
      r->outcome == store::CallOutcome::kMissed) {
    return QIcon(":/icons/missed.svg");
  }
  if (role == Qt::ToolTipRole && index.column() == kPeer) {
    return tr("Fingerprint %1%2")
        .arg(QString::fromStdString(r->peer_fingerprint),
             r->peer_verified ? QString() : tr(" (not verified at the time)"));
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kStarted:
      return QLocale().toString(QDateTime::fromMSecsSinceEpoch(r->started_at),
                                QLocale::ShortFormat);
    case kDirection:
      return direction_text(r->direction);
    case kPeer:
      return QString::fromStdString(r->peer_name);
    case kOutcome:
      return r->outcome ? outcome_text(*r->outcome) : tr("In progress");
    case kDuration:
      return r->answered_at ? duration_text(r->duration_s) : QString();
    case kSas:
      if (!r->answered_at) return QString();
      if (r->sas_confirmed_local && r->sas_confirmed_remote) return tr("Both confirmed");
      if (r->sas_confirmed_local || r->sas_confirmed_remote) return tr("One side confirmed");
      return tr("Not confirmed");
    case kQuality:
      return r->quality ? tr("%1 % lost").arg(r->quality->loss_percent, 0, 'f', 1) : QString();
    case kNote:
      return QString::fromStdString(r->note).section('\n', 0, 0);
    default:
      return {};
  }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kStarted:
      return tr("Started");
    case kDirection:
      return tr("Direction");
    case kPeer:
      return tr("Peer");
    case kOutcome:
      return tr("Outcome");
    case kDuration:
      return tr("Duration");
    case kSas:
      return tr("SAS");
    case kQuality:
      return tr("Quality");
    case kNote:
      return tr("Note");
    default:
      return {};
  }
}

bool HistoryModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !fetching_ && static_cast<std::int64_t>(rows_.size()) < total_;
}

void HistoryModel::fetchMore(const QModelIndex& parent) {
  if (canFetchMore(parent)) fetch(static_cast<std::int64_t>(rows_.size()), false);
}

void HistoryModel::sort(int column, Qt::SortOrder order) {
  switch (column) {
    case kPeer:
      filter_.sort = store::HistorySort::kPeer;
      break;
    case kDirection:
      filter_.sort = store::HistorySort::kDirection;
      break;
    case kOutcome:
      filter_.sort = store::HistorySort::kOutcome;
      break;
    case kDuration:
      filter_.sort = store::HistorySort::kDuration;
      break;
    default:
      filter_.sort = store::HistorySort::kStarted;
      break;
  }
  filter_.ascending = order == Qt::AscendingOrder;
  reload();
}

}  // namespace hotline::ui
