#pragma once
// The official's page: the directory as large tiles (with the Echo Test line) and, while a
// call is in progress, the call panel in their place. Why the last call ended stays in a
// banner above the tiles until the next call; the last few calls, with their outcome, are
// listed under them. It needs no passphrase: the list shows who, when, which way and how it
// ended — never notes, the SAS or quality, which stay in the operator's History.

#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "ui/call_panel.hpp"
#include "ui/console_session.hpp"
#include "ui/peer_tile.hpp"

namespace hotline::ui {

class CallsPage : public QWidget {
  Q_OBJECT

 public:
  CallsPage(ConsoleSession& session, QWidget* parent = nullptr);

  void reload();  // the directory, from the store
  PeerTile* tile(const QString& peer) const;
  CallPanel* panel() const { return panel_; }
  QLabel* banner() const { return banner_; }
  QListWidget* recent_calls() const { return recent_; }
  static constexpr int kRecentCalls = 5;

 private:
  void show_peers(const std::vector<PeerInfo>& peers);
  void on_active_changed();
  void reload_recent();
  void refresh_statuses();  // "last seen 2 min ago" moves on

  ConsoleSession& session_;
  QStackedWidget* stack_;
  QScrollArea* panel_scroll_;
  QWidget* directory_;
  QGridLayout* grid_;
  QLabel* banner_;
  CallPanel* panel_;
  QListWidget* recent_;
  std::vector<PeerTile*> tiles_;
  QTimer status_ticker_;
};

}  // namespace hotline::ui
