#pragma once
// The call in progress, large and plain: who, what state, for how long; an incoming call's
// Accept and Decline; the SAS words with the "we read the same words" confirmation; mute,
// loudspeaker volume, microphone and loudspeaker levels, link quality at a glance; and
// Cancel or Hang up at every step. Every control has a shortcut and an accessible name.

#include <QElapsedTimer>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QWidget>

#include "ui/call_controller.hpp"
#include "ui/name_label.hpp"

namespace hotline::ui {

class CallPanel : public QWidget {
  Q_OBJECT

 public:
  CallPanel(CallController& calls, QWidget* parent = nullptr);

  QPushButton* accept_button() const { return accept_; }
  QPushButton* decline_button() const { return decline_; }
  NameLabel* peer_label() const { return peer_; }
  QPushButton* hangup_button() const { return hangup_; }
  QPushButton* confirm_button() const { return confirm_; }
  QPushButton* mismatch_button() const { return mismatch_; }
  QPushButton* mute_button() const { return mute_; }
  QLabel* sas_label() const { return sas_; }
  QLabel* sas_digits_label() const { return sas_digits_; }
  QLabel* state_label() const { return state_; }

 private:
  void refresh();       // on every change of the call
  void refresh_live();  // timer, levels, quality: five times a second

  CallController& calls_;
  NameLabel* peer_;
  QLabel* state_;
  QLabel* warning_;
  QLabel* elapsed_;
  QWidget* sas_box_;
  QLabel* sas_;
  QLabel* sas_digits_;
  QLabel* confirmations_;
  QLabel* sas_title_;
  QPushButton* confirm_;
  QPushButton* mismatch_;
  QPushButton* accept_;
  QPushButton* decline_;
  QPushButton* mute_;
  QSlider* volume_;
  QProgressBar* input_level_;
  QProgressBar* output_level_;
  QLabel* quality_;
  QPushButton* hangup_;
  QTimer live_;
  QElapsedTimer connected_for_;
  bool connected_ = false;
};

}  // namespace hotline::ui
