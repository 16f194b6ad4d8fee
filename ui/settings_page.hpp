#pragma once
// The administrator's settings: sound devices with a test tone and a live microphone meter,
// frame size, bitrate, echo cancellation, the listening address, the language and how long
// an unlocked role stays unlocked. Saving puts every change on the audit log.

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QWidget>

#include "ui/console_session.hpp"

namespace hotline::ui {

class SettingsPage : public QWidget {
  Q_OBJECT

 public:
  SettingsPage(ConsoleSession& session, QWidget* parent = nullptr);
  void reload();
  QComboBox* language() const { return language_; }
  QPushButton* save_button() const { return save_; }
  QLabel* status() const { return status_; }

 signals:
  void saved(const hotline::ui::ConsoleSettings& settings);

 protected:
  void hideEvent(QHideEvent* event) override;
  void showEvent(QShowEvent* event) override;  // (re)loads: devices may have come or gone

 private:
  void save();
  void toggle_test(bool on);

  ConsoleSession& session_;
  QComboBox* input_;
  QComboBox* output_;
  QPushButton* test_;
  QProgressBar* meter_;
  QComboBox* frame_;
  QSpinBox* bitrate_;
  QCheckBox* aec_;
  QLineEdit* listen_;
  QComboBox* language_;
  QSpinBox* idle_;
  QPushButton* save_;
  QLabel* status_;
  QTimer meter_timer_;
};

}  // namespace hotline::ui
