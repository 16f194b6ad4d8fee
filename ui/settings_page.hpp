#pragma once
// The administrator's settings: sound devices with a test tone and a live microphone meter,
// frame size, bitrate, echo cancellation, the listening address, the language and how long
// an unlocked role stays unlocked. Saving puts every change on the audit log. Whether the
// console starts at login is this user's desktop setting (ui/autostart.hpp), applied at once.
// Until the stored values have arrived (the worker may be busy, the sound system slow to
// list its devices) the form is disabled and says it is loading; Save then writes only the
// fields the user changed from what was loaded, so nothing it did not show is overwritten.

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QWidget>
#include <optional>

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
  QLabel* key_warning() const { return key_warning_; }
  QPushButton* test_button() const { return test_; }
  QCheckBox* autostart() const { return autostart_; }
  QWidget* form() const { return form_box_; }
  QSpinBox* idle_minutes() const { return idle_; }
  QCheckBox* echo_cancellation() const { return aec_; }
  QCheckBox* noise_suppression() const { return noise_; }
  QLineEdit* listen_address() const { return listen_; }

 signals:
  void saved(const hotline::ui::ConsoleSettings& settings);

 protected:
  void hideEvent(QHideEvent* event) override;
  void showEvent(QShowEvent* event) override;  // (re)loads: devices may have come or gone

 private:
  void save();
  // Fills the form with stored values, which become what Save compares against.
  void show_values(const ConsoleSettings& settings);
  void toggle_test(bool on);
  // No test tone during a call: it would play into the call's devices.
  void update_test_for_call();

  ConsoleSession& session_;
  // The values the form was filled with (the language as the window shows it); nothing
  // until the first load has arrived.
  std::optional<ConsoleSettings> loaded_;
  QWidget* form_box_;
  QComboBox* input_;
  QComboBox* output_;
  QPushButton* test_;
  QProgressBar* meter_;
  QComboBox* frame_;
  QSpinBox* bitrate_;
  QCheckBox* aec_;
  QCheckBox* noise_;
  QLineEdit* listen_;
  QComboBox* language_;
  QSpinBox* idle_;
  QCheckBox* autostart_;
  QPushButton* save_;
  QLabel* status_;
  QLabel* key_warning_;
  QTimer meter_timer_;
};

}  // namespace hotline::ui
