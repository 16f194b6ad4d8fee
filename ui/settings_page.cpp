#include "ui/settings_page.hpp"

#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "core/audio/device_catalog.hpp"
#include "core/wire/wire.hpp"
#include "ui/autostart.hpp"
#include "ui/language.hpp"

namespace hotline::ui {
namespace {

// The stored device name "default" (the sound system's default device) in words.
QString system_default_text() {
  return QCoreApplication::translate("hotline::ui::SettingsPage", "System default");
}

QString device_text(const std::string& stored) {
  return stored.empty() || stored == "default" ? system_default_text()
                                               : QString::fromStdString(stored);
}

std::string device_value(const QComboBox* box) {
  const QString shown = box->currentText().trimmed();
  return shown == system_default_text() ? "default" : shown.toStdString();
}

}  // namespace

SettingsPage::SettingsPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), session_(session) {
  auto* layout = new QVBoxLayout(this);
  // Said where the administrator looks after the console, for as long as it is so.
  key_warning_ = new QLabel(
      tr("This console's key has no passphrase: anyone who can read this computer's copy of the "
         "profile can use it to place and answer calls as this console and to sign its audit "
         "log. To protect the key, create the console again with a key passphrase."),
      this);
  key_warning_->setWordWrap(true);
  key_warning_->setStyleSheet("background: #FFF8E1; padding: 6px;");
  key_warning_->setVisible(!session_.info().key_protected);
  layout->addWidget(key_warning_);
  form_box_ = new QWidget(this);
  auto* form = new QFormLayout(form_box_);
  form->setContentsMargins(0, 0, 0, 0);
  input_ = new QComboBox(this);
  input_->setEditable(true);
  input_->setAccessibleName(tr("Microphone"));
  output_ = new QComboBox(this);
  output_->setEditable(true);
  output_->setAccessibleName(tr("Loudspeaker"));
  form->addRow(tr("Microphone:"), input_);
  form->addRow(tr("Loudspeaker:"), output_);
  auto* test_row = new QHBoxLayout;
  test_ = new QPushButton(QIcon(":/icons/speaker.svg"), tr("Test tone and microphone"), this);
  test_->setCheckable(true);
  meter_ = new QProgressBar(this);
  meter_->setTextVisible(false);
  meter_->setAccessibleName(tr("Microphone level"));
  test_row->addWidget(test_);
  test_row->addWidget(meter_, 1);
  form->addRow(QString(), test_row);
  frame_ = new QComboBox(this);
  frame_->addItem(tr("20 ms (default)"), 20);
  frame_->addItem(tr("10 ms (lower delay, 32 kb/s or more)"), 10);
  form->addRow(tr("Frame size:"), frame_);
  bitrate_ = new QSpinBox(this);
  bitrate_->setRange(hotline::wire::kMinBitrate, hotline::wire::kMaxBitrate);
  bitrate_->setSingleStep(4000);
  bitrate_->setSuffix(tr(" b/s"));
  form->addRow(tr("Bitrate:"), bitrate_);
  aec_ = new QCheckBox(tr("Echo cancellation"), this);
  form->addRow(QString(), aec_);
  noise_ = new QCheckBox(tr("Noise suppression"), this);
  noise_->setToolTip(tr("Also takes out the echo that echo cancellation leaves"));
  form->addRow(QString(), noise_);
  listen_ = new QLineEdit(this);
  listen_->setPlaceholderText("0.0.0.0:47000");
  listen_->setAccessibleName(tr("Listening address"));
  form->addRow(tr("Listening address (after a restart):"), listen_);
  language_ = new QComboBox(this);
  for (const QString& code : available_languages()) language_->addItem(language_name(code), code);
  language_->setAccessibleName(tr("Language"));
  form->addRow(tr("Language:"), language_);
  idle_ = new QSpinBox(this);
  idle_->setRange(1, 120);
  idle_->setSuffix(tr(" min"));
  form->addRow(tr("Lock roles after idle:"), idle_);
  autostart_ = new QCheckBox(tr("Start this console when I log in"), this);
  autostart_->setToolTip(
      tr("So that calls reach it after every login (%1)").arg(autostart_entry_path()));
  autostart_->setChecked(autostart_enabled());
  layout->addWidget(form_box_);
  // Not a stored setting: usable while the form loads.
  layout->addWidget(autostart_);
  auto* row = new QHBoxLayout;
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  row->addWidget(status_, 1);
  save_ = new QPushButton(tr("Save"), this);
  row->addWidget(save_);
  layout->addLayout(row);
  layout->addStretch();

  connect(save_, &QPushButton::clicked, this, &SettingsPage::save);
  connect(test_, &QPushButton::toggled, this, &SettingsPage::toggle_test);
  connect(&session_.calls(), &CallController::activeChanged, this,
          &SettingsPage::update_test_for_call);
  update_test_for_call();
  connect(autostart_, &QCheckBox::toggled, this, [this](bool on) {
    const QString error =
        set_autostart(on, QCoreApplication::applicationFilePath(), session_.options().profile_dir);
    status_->setText(error.isEmpty() ? (on ? tr("This console now starts when you log in.")
                                           : tr("This console no longer starts when you log in."))
                                     : error);
    if (!error.isEmpty()) {
      const QSignalBlocker quiet(autostart_);
      autostart_->setChecked(autostart_enabled());
    }
  });
  connect(&meter_timer_, &QTimer::timeout, this, [this] {
    session_.run<double>(
        [](ConsoleBackend& b) {
          if (!b.tester) return -100.0;
          if (auto problem = b.tester->problem()) throw Error(*problem);
          return b.tester->input_level_dbfs();
        },
        this,
        [this](Outcome<double> out) {
          if (!out.ok()) {
            status_->setText(out.error);
            test_->setChecked(false);
            return;
          }
          meter_->setValue(
              static_cast<int>(std::clamp((*out.value + 60.0) / 60.0 * 100.0, 0.0, 100.0)));
        });
  });
}

void SettingsPage::reload() {
  form_box_->setEnabled(false);
  save_->setEnabled(false);
  status_->setText(tr("Loading the settings…"));
  struct Loaded {
    ConsoleSettings settings;
    std::vector<std::string> inputs, outputs;
  };
  session_.run<Loaded>(
      [](ConsoleBackend& b) {
        Loaded l{read_settings(b.profile), {}, {}};
        try {
          audio::PortAudioLibrary library;
          for (const auto& d : audio::list_devices(library)) {
            if (d.max_input_channels > 0) l.inputs.push_back(d.name);
            if (d.max_output_channels > 0) l.outputs.push_back(d.name);
          }
        } catch (const std::exception&) {
          // No sound system at all: the names can still be typed.
        }
        return l;
      },
      this,
      [this](Outcome<Loaded> out) {
        if (!out.ok()) {
          status_->setText(tr("The settings cannot be read: %1").arg(out.error));
          return;
        }
        const ConsoleSettings& s = out.value->settings;
        const auto fill = [](QComboBox* box, const std::vector<std::string>& names,
                             const std::string& current) {
          box->clear();
          box->addItem(device_text("default"));
          for (const auto& n : names) box->addItem(QString::fromStdString(n));
          box->setCurrentText(device_text(current));
        };
        fill(input_, out.value->inputs, s.input);
        fill(output_, out.value->outputs, s.output);
        show_values(s);
        form_box_->setEnabled(true);
        save_->setEnabled(true);
        status_->clear();
      });
}

void SettingsPage::show_values(const ConsoleSettings& s) {
  input_->setCurrentText(device_text(s.input));
  output_->setCurrentText(device_text(s.output));
  frame_->setCurrentIndex(std::max(0, frame_->findData(s.frame_ms)));
  bitrate_->setValue(s.bitrate);
  aec_->setChecked(s.echo_cancellation);
  noise_->setChecked(s.noise_suppression);
  listen_->setText(QString::fromStdString(s.listen));
  language_->setCurrentIndex(std::max(0, language_->findData(current_language())));
  idle_->setValue(s.role_idle_minutes);
  loaded_ = s;
  loaded_->language = language_->currentData().toString().toStdString();
}

void SettingsPage::toggle_test(bool on) {
  const std::string input = device_value(input_);
  const std::string output = device_value(output_);
  session_.run<bool>(
      [on, input, output](ConsoleBackend& b) {
        b.grant(store::Role::kAdministrator);
        b.tester.reset();
        if (on) {
          b.tester = std::make_unique<audio::DeviceTester>(input, output);
          b.tester->set_tone(true);
        }
        return true;
      },
      this,
      [this, on](Outcome<bool> out) {
        if (!out.ok()) {
          status_->setText(out.error);
          test_->blockSignals(true);
          test_->setChecked(false);
          test_->blockSignals(false);
          return;
        }
        status_->setText(on ? tr("Playing a 440 Hz tone; speak to see the microphone level.")
                            : QString());
        if (on) {
          meter_timer_.start(100);
        } else {
          meter_timer_.stop();
          meter_->setValue(0);
        }
      });
}

void SettingsPage::update_test_for_call() {
  const bool in_call = session_.calls().active().has_value();
  if (in_call && test_->isChecked()) test_->setChecked(false);  // stops the tone
  test_->setEnabled(!in_call);
  test_->setToolTip(in_call ? tr("Not during a call: the tone would play into the call.")
                            : QString());
}

void SettingsPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  reload();
}

void SettingsPage::hideEvent(QHideEvent* event) {
  if (test_->isChecked()) test_->setChecked(false);
  QWidget::hideEvent(event);
}

void SettingsPage::save() {
  if (!loaded_) return;  // nothing shown yet, so nothing the user could have changed
  ConsoleSettings s;
  s.input = device_value(input_);
  s.output = device_value(output_);
  s.frame_ms = frame_->currentData().toInt();
  s.bitrate = bitrate_->value();
  if (s.frame_ms == 10 && s.bitrate < 32000) {
    status_->setText(tr("10 ms frames need a bitrate of 32000 b/s or more."));
    return;
  }
  s.echo_cancellation = aec_->isChecked();
  s.noise_suppression = noise_->isChecked();
  s.listen = listen_->text().trimmed().toStdString();
  s.language = language_->currentData().toString().toStdString();
  s.role_idle_minutes = idle_->value();
  const ConsoleSettings& was = *loaded_;
  std::vector<std::pair<std::string, std::string>> changes;
  const auto changed = [&changes](const char* key, const std::string& now,
                                  const std::string& then) {
    if (now != then) changes.emplace_back(key, now);
  };
  changed(kSettingInput, s.input, was.input);
  changed(kSettingOutput, s.output, was.output);
  changed(kSettingFrameMs, std::to_string(s.frame_ms), std::to_string(was.frame_ms));
  changed(kSettingBitrate, std::to_string(s.bitrate), std::to_string(was.bitrate));
  changed(kSettingEchoCancellation, s.echo_cancellation ? "on" : "off",
          was.echo_cancellation ? "on" : "off");
  changed(kSettingNoiseSuppression, s.noise_suppression ? "on" : "off",
          was.noise_suppression ? "on" : "off");
  changed(kSettingListen, s.listen, was.listen);
  changed(kSettingLanguage, s.language, was.language);
  changed(kSettingRoleIdleMinutes, std::to_string(s.role_idle_minutes),
          std::to_string(was.role_idle_minutes));
  if (s.listen.empty() && s.listen != was.listen) {
    status_->setText(tr("Enter the address this console listens on, such as 0.0.0.0:47000."));
    return;
  }
  if (changes.empty()) {
    status_->setText(tr("Nothing to save: no setting was changed."));
    return;
  }
  session_.run<ConsoleSettings>(
      [changes](ConsoleBackend& b) {
        const auto& admin = b.grant(store::Role::kAdministrator);
        store::Transaction transaction(b.profile.database());
        for (const auto& [key, value] : changes) {
          // The address is stored in its one canonical form (and refused if malformed).
          b.administration.set_setting(
              admin, key,
              key == kSettingListen ? net::parse_endpoint_or_throw(value).to_string() : value);
        }
        transaction.commit();
        b.settings = read_settings(b.profile);
        b.apply_settings();
        return b.settings;
      },
      this,
      [this](Outcome<ConsoleSettings> out) {
        if (!out.ok()) {
          status_->setText(out.error);
          return;
        }
        status_->setText(
            tr("Saved. Echo cancellation, noise suppression and the listening address "
               "apply from the next start of the console."));
        show_values(*out.value);  // with what others changed meanwhile
        session_.set_settings(*out.value);
        session_.calls().set_call_options({out.value->frame_ms, out.value->bitrate});
        emit saved(*out.value);
      });
}

}  // namespace hotline::ui
