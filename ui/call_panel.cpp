#include "ui/call_panel.hpp"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include "core/console/call_recorder.hpp"
#include "core/console/echo_line.hpp"
#include "ui/texts.hpp"

namespace hotline::ui {
namespace {

int level_percent(double dbfs) {
  return static_cast<int>(std::clamp((dbfs + 60.0) / 60.0 * 100.0, 0.0, 100.0));
}

QPushButton* big_button(const QString& icon, QWidget* parent) {
  auto* b = new QPushButton(QIcon(icon), QString(), parent);
  b->setMinimumHeight(64);
  b->setIconSize(QSize(32, 32));
  QFont f = b->font();
  f.setPointSizeF(f.pointSizeF() * 1.4);
  f.setBold(true);
  b->setFont(f);
  return b;
}

}  // namespace

CallPanel::CallPanel(CallController& calls, QWidget* parent) : QWidget(parent), calls_(calls) {
  auto* layout = new QVBoxLayout(this);
  // Wrapped, inside words if need be: a long name made the panel wider than the window.
  peer_ = new NameLabel(QString(), 3, this);
  QFont huge = peer_->font();
  huge.setPointSizeF(huge.pointSizeF() * 2.6);
  huge.setBold(true);
  peer_->setFont(huge);
  peer_->set_alignment(Qt::AlignHCenter);
  layout->addWidget(peer_);
  state_ = new QLabel(this);
  state_->setObjectName("callState");
  QFont large = state_->font();
  large.setPointSizeF(large.pointSizeF() * 1.5);
  state_->setFont(large);
  state_->setAlignment(Qt::AlignCenter);
  layout->addWidget(state_);
  elapsed_ = new QLabel(this);
  elapsed_->setFont(large);
  elapsed_->setAlignment(Qt::AlignCenter);
  layout->addWidget(elapsed_);
  warning_ = new QLabel(this);
  warning_->setAlignment(Qt::AlignCenter);
  warning_->setWordWrap(true);
  warning_->setStyleSheet("color: #C62828; font-weight: bold;");
  layout->addWidget(warning_);

  // The SAS: the words to read aloud, and the confirmation that goes on record.
  sas_box_ = new QWidget(this);
  auto* sas_layout = new QVBoxLayout(sas_box_);
  sas_title_ = new QLabel(sas_box_);
  sas_title_->setAlignment(Qt::AlignCenter);
  sas_layout->addWidget(sas_title_);
  sas_ = new QLabel(sas_box_);
  sas_->setObjectName("sasWords");
  QFont words = sas_->font();
  words.setPointSizeF(words.pointSizeF() * 2.0);
  words.setBold(true);
  sas_->setFont(words);
  sas_->setAlignment(Qt::AlignCenter);
  sas_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  sas_layout->addWidget(sas_);
  // The same bits as numbers: each official reads them in their own language.
  sas_digits_ = new QLabel(sas_box_);
  sas_digits_->setObjectName("sasDigits");
  sas_digits_->setFont(words);
  sas_digits_->setAlignment(Qt::AlignCenter);
  sas_digits_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  sas_layout->addWidget(sas_digits_);
  confirm_ = new QPushButton(QIcon(":/icons/verified.svg"), tr("We read the same words"), sas_box_);
  confirm_->setToolTip(tr("Put on record that both sides read the same words (Ctrl+Shift+Y)"));
  confirm_->setAccessibleName(tr("Confirm the short authentication string"));
  mismatch_ = new QPushButton(tr("The words do not match"), sas_box_);
  mismatch_->setToolTip(
      tr("End the call at once and put it on record as a suspected interception"));
  mismatch_->setAccessibleName(tr("Report that the words do not match"));
  auto* verdict = new QHBoxLayout;
  verdict->addStretch();
  verdict->addWidget(confirm_);
  verdict->addWidget(mismatch_);
  verdict->addStretch();
  sas_layout->addLayout(verdict);
  confirmations_ = new QLabel(sas_box_);
  confirmations_->setAlignment(Qt::AlignCenter);
  sas_layout->addWidget(confirmations_);
  layout->addWidget(sas_box_);

  // Controls while connected.
  auto* controls = new QGridLayout;
  mute_ = new QPushButton(QIcon(":/icons/unmute.svg"), tr("Mute"), this);
  mute_->setCheckable(true);
  mute_->setToolTip(tr("Mute the microphone (Ctrl+M); the other side hears silence"));
  mute_->setAccessibleName(tr("Mute"));
  controls->addWidget(mute_, 0, 0, 2, 1);
  controls->addWidget(new QLabel(tr("Volume"), this), 0, 1);
  volume_ = new QSlider(Qt::Horizontal, this);
  volume_->setRange(0, 100);
  volume_->setValue(100);
  volume_->setAccessibleName(tr("Loudspeaker volume"));
  controls->addWidget(volume_, 0, 2);
  controls->addWidget(new QLabel(tr("Microphone"), this), 1, 1);
  input_level_ = new QProgressBar(this);
  input_level_->setTextVisible(false);
  input_level_->setAccessibleName(tr("Microphone level"));
  controls->addWidget(input_level_, 1, 2);
  controls->addWidget(new QLabel(tr("Loudspeaker"), this), 2, 1);
  output_level_ = new QProgressBar(this);
  output_level_->setTextVisible(false);
  output_level_->setAccessibleName(tr("Loudspeaker level"));
  controls->addWidget(output_level_, 2, 2);
  layout->addLayout(controls);
  quality_ = new QLabel(this);
  quality_->setObjectName("linkQuality");
  quality_->setAlignment(Qt::AlignCenter);
  layout->addWidget(quality_);
  layout->addStretch();

  auto* buttons = new QHBoxLayout;
  accept_ = big_button(":/icons/accept.svg", this);
  accept_->setText(tr("Accept"));
  accept_->setToolTip(tr("Accept the call (Ctrl+Return)"));
  accept_->setAccessibleName(tr("Accept the call"));
  decline_ = big_button(":/icons/decline.svg", this);
  decline_->setText(tr("Decline"));
  decline_->setToolTip(tr("Decline the call (Ctrl+D)"));
  decline_->setAccessibleName(tr("Decline the call"));
  hangup_ = big_button(":/icons/hangup.svg", this);
  hangup_->setAccessibleName(tr("Hang up"));
  buttons->addWidget(accept_);
  buttons->addWidget(decline_);
  buttons->addWidget(hangup_);
  layout->addLayout(buttons);

  connect(accept_, &QPushButton::clicked, &calls_, &CallController::answer);
  connect(decline_, &QPushButton::clicked, &calls_, &CallController::decline);
  connect(hangup_, &QPushButton::clicked, &calls_, &CallController::hangup);
  connect(confirm_, &QPushButton::clicked, &calls_, &CallController::confirm_sas);
  connect(mismatch_, &QPushButton::clicked, &calls_, &CallController::report_sas_mismatch);
  connect(mute_, &QPushButton::toggled, &calls_, &CallController::set_muted);
  connect(volume_, &QSlider::valueChanged, this, [this](int v) { calls_.set_volume(v / 100.0); });
  // The keys are the window's (CallShortcuts), so that they work on every tab.

  connect(&calls_, &CallController::activeChanged, this, &CallPanel::refresh);
  connect(&live_, &QTimer::timeout, this, &CallPanel::refresh_live);
  live_.start(200);
  refresh();
}

void CallPanel::refresh() {
  const auto& active = calls_.active();
  if (!active) {
    connected_ = false;
    return;
  }
  const call::CallStats& c = *active;
  const bool incoming_ringing = calls_.ringing_incoming();
  const bool connected = c.state == call::CallState::kConnected;
  if (connected && !connected_) connected_for_.start();
  connected_ = connected;
  peer_->set_text(peer_display_name(c.peer));
  state_->setText(state_text(c));
  warning_->setText(c.peer_verified || c.peer == console::kEchoTestPeer
                        ? QString()
                        : tr("This peer's key has NOT been verified by an administrator."));
  sas_box_->setVisible(connected && c.peer != console::kEchoTestPeer);
  sas_->setText(QString::fromStdString(c.sas));
  sas_digits_->setText(QString::fromStdString(c.sas_digits));
  // The words exist once both sides' SAS nonces are known (a round trip after the answer at
  // most); until then there is nothing to compare.
  const bool words = !c.sas.empty();
  sas_title_->setText(words ? tr("Read these words, or the numbers below them, to each other:")
                            : tr("Waiting for the security words…"));
  confirm_->setEnabled(words && !c.sas_confirmed_local);
  mismatch_->setEnabled(words);
  QStringList done;
  done << (c.sas_confirmed_local ? tr("✓ You confirmed") : tr("You have not confirmed yet"));
  done << (c.sas_confirmed_remote ? tr("✓ %1 confirmed").arg(peer_display_name(c.peer))
                                  : tr("%1 has not confirmed yet").arg(peer_display_name(c.peer)));
  confirmations_->setText(done.join("   "));
  accept_->setVisible(incoming_ringing);
  decline_->setVisible(incoming_ringing);
  hangup_->setVisible(!incoming_ringing);
  hangup_->setText(connected ? tr("Hang up") : tr("Cancel"));
  hangup_->setToolTip(connected ? tr("Hang up (Ctrl+H)") : tr("Cancel the call (Ctrl+H)"));
  for (QWidget* w : std::initializer_list<QWidget*>{mute_, volume_, input_level_, output_level_}) {
    w->setEnabled(connected);
  }
  mute_->blockSignals(true);
  mute_->setChecked(c.muted);
  mute_->blockSignals(false);
  mute_->setIcon(QIcon(c.muted ? ":/icons/mute.svg" : ":/icons/unmute.svg"));
  mute_->setText(c.muted ? tr("Muted") : tr("Mute"));
  if (incoming_ringing) accept_->setFocus();
  refresh_live();
}

void CallPanel::refresh_live() {
  if (!calls_.active()) return;
  elapsed_->setText(connected_
                        ? duration_text(static_cast<double>(connected_for_.elapsed()) / 1000.0)
                        : QString());
  const auto live = calls_.live_stats();
  if (!connected_ || !live) {
    input_level_->setValue(0);
    output_level_->setValue(0);
    quality_->clear();
    return;
  }
  const call::MediaCounters& m = live->media;
  input_level_->setValue(level_percent(m.input_level_dbfs));
  output_level_->setValue(level_percent(m.output_level_dbfs));
  const store::CallQuality q = console::quality_of(*live);  // as the history will record it
  quality_->setText(tr("Loss %1 % · Jitter %2 ms · Round trip %3 ms · Concealed %4 %")
                        .arg(q.loss_percent, 0, 'f', 1)
                        .arg(q.jitter_ms, 0, 'f', 1)
                        .arg(live->rtt_ms, 0, 'f', 1)
                        .arg(q.concealed_percent, 0, 'f', 1));
  if (live->rekeys_refused > 0) {
    warning_->setText(
        tr("Warning: a key change was answered by someone who was not in this call from its "
           "start. Possible interception: the call keeps its verified keys. If this repeats, "
           "hang up and report it."));
  } else if (!live->device_problem.empty()) {
    warning_->setText(tr("Audio problem: %1").arg(QString::fromStdString(live->device_problem)));
  }
}

}  // namespace hotline::ui
