#pragma once
// The official's page: the directory as large tiles (with the Echo Test line) and, while a
// call is in progress, the call panel in their place. Why the last call ended stays in a
// banner above the tiles until the next call. It needs no passphrase.

#include <QGridLayout>
#include <QLabel>
#include <QStackedWidget>
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

 private:
  void show_peers(const std::vector<PeerInfo>& peers);
  void on_active_changed();

  ConsoleSession& session_;
  QStackedWidget* stack_;
  QWidget* directory_;
  QGridLayout* grid_;
  QLabel* banner_;
  CallPanel* panel_;
  std::vector<PeerTile*> tiles_;
};

}  // namespace hotline::ui
