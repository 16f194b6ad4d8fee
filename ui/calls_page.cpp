#include "ui/calls_page.hpp"

#include <QDateTime>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/console/echo_line.hpp"
#include "ui/texts.hpp"

namespace hotline::ui {

CallsPage::CallsPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), session_(session) {
  auto* layout = new QVBoxLayout(this);
  stack_ = new QStackedWidget(this);
  layout->addWidget(stack_);

  directory_ = new QWidget(stack_);
  auto* dir_layout = new QVBoxLayout(directory_);
  banner_ = new QLabel(directory_);
  banner_->setObjectName("endBanner");
  banner_->setWordWrap(true);
  banner_->setVisible(false);
  banner_->setStyleSheet("padding: 8px; border: 1px solid #9E9E9E; border-radius: 4px;");
  dir_layout->addWidget(banner_);
  auto* scroll = new QScrollArea(directory_);
  scroll->setWidgetResizable(true);
  auto* tiles = new QWidget(scroll);
  grid_ = new QGridLayout(tiles);
  grid_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  scroll->setWidget(tiles);
  dir_layout->addWidget(scroll, 1);
  auto* recent_title = new QLabel(tr("Recent calls"), directory_);
  QFont bold = recent_title->font();
  bold.setBold(true);
  recent_title->setFont(bold);
  dir_layout->addWidget(recent_title);
  recent_ = new QListWidget(directory_);
  recent_->setObjectName("recentCalls");
  recent_->setAccessibleName(tr("Recent calls"));
  recent_->setSelectionMode(QAbstractItemView::NoSelection);
  recent_->setMaximumHeight(recent_->fontMetrics().height() * (kRecentCalls + 2));
  dir_layout->addWidget(recent_);
  stack_->addWidget(directory_);

  // Scrolls where the screen is short (a 1080-line screen at scale factor 2 has 540 logical
  // lines): the window must never be forced taller than the screen.
  panel_scroll_ = new QScrollArea(stack_);
  panel_scroll_->setWidgetResizable(true);
  panel_scroll_->setFrameShape(QFrame::NoFrame);
  panel_ = new CallPanel(session.calls(), panel_scroll_);
  panel_scroll_->setWidget(panel_);
  stack_->addWidget(panel_scroll_);

  connect(&session.calls(), &CallController::activeChanged, this, &CallsPage::on_active_changed);
  connect(&session.calls(), &CallController::callEnded, this, [this](const call::CallStats& s) {
    banner_->setText(end_text(s));
    banner_->setVisible(true);
    reload_recent();
  });
  // The recorder writes the row a moment after the call ends; its health report follows each
  // write it could not make, so the list is read again once it can be.
  connect(&session.calls(), &CallController::recordsHealthChanged, this, &CallsPage::reload_recent);
  connect(&status_ticker_, &QTimer::timeout, this, &CallsPage::refresh_statuses);
  status_ticker_.start(std::chrono::seconds(15));
  connect(&session.calls(), &CallController::peerStatusChanged, this, [this](const QString& peer) {
    if (PeerTile* t = tile(peer)) t->set_status(session_.calls().status_of(peer));
  });
  connect(&session, &ConsoleSession::directoryChanged, this, &CallsPage::reload);
  reload();
  on_active_changed();  // a page rebuilt (language change) during a call shows the call
}

void CallsPage::refresh_statuses() {
  for (PeerTile* t : tiles_) t->set_status(session_.calls().status_of(t->peer()));
}

void CallsPage::reload_recent() {
  session_.run<std::vector<store::CallRecord>>(
      [](ConsoleBackend& b) {
        b.runtime().recorder().flush();  // the call that just ended is written first
        // Only this start's calls: the console cannot open what earlier starts sealed.
        return b.runtime().own_calls(kRecentCalls);
      },
      this,
      [this](Outcome<std::vector<store::CallRecord>> out) {
        if (!out.ok()) return;
        recent_->clear();
        for (const store::CallRecord& r : *out.value) {
          recent_->addItem(
              QString("%1  %2  %3 · %4")
                  .arg(QDateTime::fromMSecsSinceEpoch(r.started_at).toString("yyyy-MM-dd HH:mm"),
                       r.direction == store::CallDirection::kIn ? "←" : "→",
                       peer_display_name(r.peer_name),
                       r.outcome ? outcome_text(*r.outcome) : tr("in progress")));
        }
        if (recent_->count() == 0) recent_->addItem(tr("No calls yet"));
      });
}

void CallsPage::reload() {
  reload_recent();
  session_.run<std::vector<PeerInfo>>([](ConsoleBackend& b) { return b.peers(); }, this,
                                      [this](Outcome<std::vector<PeerInfo>> out) {
                                        if (out.ok()) show_peers(*out.value);
                                      });
}

PeerTile* CallsPage::tile(const QString& peer) const {
  for (PeerTile* t : tiles_) {
    if (t->peer() == peer) return t;
  }
  return nullptr;
}

void CallsPage::show_peers(const std::vector<PeerInfo>& peers) {
  for (PeerTile* t : tiles_) t->deleteLater();
  tiles_.clear();
  const auto add = [this](PeerTile* t) {
    const int index = static_cast<int>(tiles_.size());
    grid_->addWidget(t, index / 3, index % 3);
    t->set_status(session_.calls().status_of(t->peer()));
    t->set_callable(!session_.calls().active());
    connect(t, &PeerTile::callRequested, this, [this](const QString& peer) {
      banner_->setVisible(false);
      session_.calls().call(peer);
    });
    tiles_.push_back(t);
  };
  for (const PeerInfo& p : peers) add(new PeerTile(&p, QString::fromStdString(p.name), this));
  if (session_.options().echo_line) add(new PeerTile(nullptr, console::kEchoTestPeer, this));
}

void CallsPage::on_active_changed() {
  const bool in_call = session_.calls().active().has_value();
  stack_->setCurrentWidget(in_call ? static_cast<QWidget*>(panel_scroll_) : directory_);
  for (PeerTile* t : tiles_) t->set_callable(!in_call);
}

}  // namespace hotline::ui
