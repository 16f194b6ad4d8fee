#pragma once
// One peer of the directory as a large tile: its name, whether its key was verified, its line
// status (online or offline, last seen, round trip), and one big Call button.

#include <QFrame>
#include <QLabel>
#include <QPushButton>

#include "core/call/engine.hpp"
#include "ui/console_backend.hpp"
#include "ui/name_label.hpp"

namespace hotline::ui {

class PeerTile : public QFrame {
  Q_OBJECT

 public:
  // `info` null: the built-in Echo Test line.
  PeerTile(const PeerInfo* info, const QString& engine_name, QWidget* parent = nullptr);

  const QString& peer() const { return peer_; }
  void set_status(const std::optional<call::PeerStatus>& status);
  void set_callable(bool callable);  // false while another call is in progress
  QPushButton* call_button() const { return call_; }
  QLabel* status_label() const { return status_; }
  NameLabel* name_label() const { return name_; }

 signals:
  void callRequested(const QString& peer);

 private:
  QString peer_;
  bool enabled_ = true;
  bool echo_ = false;
  NameLabel* name_;
  QLabel* status_;
  QPushButton* call_;
};

}  // namespace hotline::ui
