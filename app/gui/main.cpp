// `hotline-console`: the desktop console. Thin: options, the first-run wizard or the key
// passphrase prompt, then one window per console; all work is in ui/ and core/.
//
//   hotline-console [--profile DIR] [--language en|zh_CN]
//   hotline-console --demo [--screenshots DIR]

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <iostream>
#include <memory>

#include "core/audio/wav.hpp"
#include "core/identity/key_file.hpp"
#include "core/identity/profile.hpp"
#include "core/net/endpoint.hpp"
#include "core/util/process_hardening.hpp"
#include "ui/demo.hpp"
#include "ui/first_run_wizard.hpp"
#include "ui/language.hpp"
#include "ui/main_window.hpp"
#include "ui/screenshot_tour.hpp"

using namespace hotline;
using namespace hotline::ui;

namespace {

audio::PcmBuffer builtin_speech() {
  QFile file(":/sounds/speech-sample.wav");
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QByteArray bytes = file.readAll();
  return audio::parse_wav(ByteSpan(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                   static_cast<std::size_t>(bytes.size())));
}

// The same address with the next port, as a suggestion.
QString suggest_other_port(const QString& listen) {
  const auto endpoint = net::parse_endpoint(listen.toStdString());
  if (!endpoint || endpoint->port == 65535) return listen;
  net::Endpoint next = *endpoint;
  ++next.port;
  return QString::fromStdString(next.to_string());
}

// Starts a console's session; once it runs, opens its window and hands it to `opened`.
void open_console(ConsoleSession& session, std::optional<std::string> key_passphrase,
                  std::function<QString()> notice, QPoint where, QString language,
                  std::function<void(MainWindow*)> opened) {
  QObject::connect(
      &session, &ConsoleSession::started, &session, [&session, notice, where, language, opened] {
        set_language(
            startup_language(language, QString::fromStdString(session.info().settings.language)));
        auto* window = new MainWindow(session);
        window->setAttribute(Qt::WA_DeleteOnClose);
        // exit(), not quit(): Qt's quit() first asks every window to close, and a console's
        // window refuses (it stays in the tray), so the demo's second window cancelled it.
        QObject::connect(window, &MainWindow::quitRequested, qApp,
                         [] { QCoreApplication::exit(0); });
        window->set_notice(notice);
        const QScreen* screen = QGuiApplication::primaryScreen();
        const QRect available = screen ? screen->availableGeometry() : QRect();
        window->resize(MainWindow::initial_size(available));
        window->move(available.isValid() ? available.topLeft() + where : where);
        window->show();
        opened(window);
      });
  // Start-up is not a dead end: a mistyped passphrase is asked again, and a listening port
  // another program holds can be exchanged for another address.
  auto passphrase = std::make_shared<std::optional<std::string>>(std::move(key_passphrase));
  QObject::connect(
      &session, &ConsoleSession::startFailed, &session,
      [&session, passphrase](const QString& error, StartFailure kind, const QString& listen) {
        if (kind == StartFailure::kWrongPassphrase) {
          bool ok = false;
          const QString again = QInputDialog::getText(
              nullptr, QObject::tr("Hotline Console"),
              QObject::tr("Wrong passphrase. Passphrase of this console's key:"),
              QLineEdit::Password, QString(), &ok);
          if (!ok) {
            QCoreApplication::exit(0);
            return;
          }
          *passphrase = again.toStdString();
          session.start(*passphrase);
          return;
        }
        if (kind == StartFailure::kAddressInUse) {
          bool ok = false;
          const QString address = QInputDialog::getText(
              nullptr, QObject::tr("Hotline Console"),
              QObject::tr("The console cannot listen on %1: another program (or another "
                          "console) uses that port.\n\nListen on this address instead (peers "
                          "then need this console's new card):")
                  .arg(listen),
              QLineEdit::Normal, suggest_other_port(listen), &ok);
          if (!ok) {
            QCoreApplication::exit(1);
            return;
          }
          session.change_listen_address(
              address, *passphrase, &session, [&session, passphrase](QString problem) {
                if (!problem.isEmpty()) {
                  QMessageBox::critical(nullptr, QObject::tr("Hotline Console"),
                                        QObject::tr("The console cannot start: %1").arg(problem));
                  QCoreApplication::exit(1);
                  return;
                }
                session.start(*passphrase);
              });
          return;
        }
        QMessageBox::critical(nullptr, QObject::tr("Hotline Console"),
                              QObject::tr("The console cannot start: %1").arg(error));
        QCoreApplication::exit(1);
      });
  session.start(*passphrase);
}

int run_demo(QApplication& app, const QString& screenshots, const QString& language) {
  QTemporaryDir root;
  if (!root.isValid()) {
    std::cerr << "hotline-console: cannot create a temporary directory\n";
    return 1;
  }
  const DemoProfiles profiles = create_demo_profiles(root.path().toStdString() + "/profiles");
  const bool card = screenshots.isEmpty() && sound_card_present();
  SessionOptions a;
  a.profile_dir = profiles.beijing;
  a.audio = card ? AudioMode::kLive : AudioMode::kTone;
  a.presence_interval = std::chrono::seconds(5);
  a.role_cost = crypto::PassphraseCost::kInteractive;
  SessionOptions b = a;
  b.profile_dir = profiles.singapore;
  b.audio = AudioMode::kSpeechSample;
  b.speech = builtin_speech();
  ConsoleSession beijing(a), singapore(b);
  // Functions, not texts: the banners are asked for again in the language switched to.
  const auto passphrases = [] {
    return QObject::tr("Demo passphrases: operator \"%1\", administrator \"%2\".")
        .arg(kDemoOperatorPassphrase, kDemoAdminPassphrase);
  };
  const auto notice_a = [card, passphrases] {
    return (card ? QObject::tr("Demo: this console uses the machine's microphone and "
                               "loudspeakers.")
                 : QObject::tr("Demo: no sound card was found, so both consoles run on virtual "
                               "devices (this one sends a tone).")) +
           " " + passphrases();
  };
  const auto notice_b = [passphrases] {
    return QObject::tr("Demo: this console speaks a recorded speech sample.") + " " + passphrases();
  };
  const int half = app.primaryScreen() ? app.primaryScreen()->availableGeometry().width() / 2 : 900;
  QPointer<MainWindow> wa, wb;
  std::unique_ptr<ScreenshotTour> tour;
  int result = 0;
  const auto opened = [&](MainWindow* w, QPointer<MainWindow>& slot) {
    slot = w;
    if (screenshots.isEmpty() || !wa || !wb) return;
    tour = std::make_unique<ScreenshotTour>(*wa, *wb, screenshots);
    QObject::connect(tour.get(), &ScreenshotTour::finished, &app,
                     [&](bool ok, const QString& message) {
                       std::cout << message.toStdString() << "\n";
                       result = ok ? 0 : 1;
                       app.exit(result);
                     });
    tour->start();
  };
  open_console(beijing, std::nullopt, notice_a, {0, 0}, language,
               [&](MainWindow* w) { opened(w, wa); });
  open_console(singapore, std::nullopt, notice_b, {half, 0}, language,
               [&](MainWindow* w) { opened(w, wb); });
  const int code = app.exec();
  tour.reset();
  delete wa.data();  // before the sessions they show
  delete wb.data();
  return screenshots.isEmpty() ? code : result;
}

}  // namespace

int main(int argc, char** argv) {
  hotline::harden_process();
  QApplication app(argc, argv);
  init_resources();
  QApplication::setApplicationName("hotline-console");
  QApplication::setApplicationDisplayName("Hotline Console");
  QApplication::setWindowIcon(QIcon(":/icons/hotline-console.svg"));
  // Closing a console's window keeps it running (in the tray); only Quit ends it.
  QApplication::setQuitOnLastWindowClosed(false);
  QCommandLineParser options;
  options.setApplicationDescription("Hotline Console: a secure voice hotline.");
  options.addHelpOption();
  const QCommandLineOption profile(QStringList{"profile"}, "The console's profile directory.",
                                   "DIR");
  const QCommandLineOption demo(QStringList{"demo"},
                                "Two consoles with throw-away profiles on loopback.");
  const QCommandLineOption screenshots(
      QStringList{"screenshots"}, "With --demo: walk through every view, save PNGs, quit.", "DIR");
  const QCommandLineOption language(QStringList{"language"}, "en or zh_CN (otherwise the setting).",
                                    "CODE");
  options.addOptions({profile, demo, screenshots, language});
  options.process(app);
  set_language(options.value(language));

  try {
    if (options.isSet(demo))
      return run_demo(app, options.value(screenshots), options.value(language));
    const std::filesystem::path dir =
        options.isSet(profile) ? std::filesystem::path(options.value(profile).toStdString())
                               : identity::Profile::default_directory();
    std::optional<std::string> key_passphrase;
    if (!std::filesystem::exists(dir / identity::kDatabaseFileName)) {
      FirstRunWizard wizard(dir);
      if (wizard.exec() != QDialog::Accepted) return 0;
      if (!wizard.key_passphrase().isEmpty())
        key_passphrase = wizard.key_passphrase().toStdString();
    } else if (identity::key_file_needs_passphrase(dir / identity::kKeyFileName)) {
      bool ok = false;
      const QString pass = QInputDialog::getText(nullptr, QObject::tr("Hotline Console"),
                                                 QObject::tr("Passphrase of this console's key:"),
                                                 QLineEdit::Password, QString(), &ok);
      if (!ok) return 0;
      key_passphrase = pass.toStdString();
    }
    SessionOptions o;
    o.profile_dir = dir;
    ConsoleSession session(o);
    QPointer<MainWindow> window;
    open_console(session, key_passphrase, {}, {40, 40}, options.value(language),
                 [&](MainWindow* w) { window = w; });
    const int code = app.exec();
    delete window.data();  // before the session it shows
    return code;
  } catch (const std::exception& e) {
    QMessageBox::critical(nullptr, QObject::tr("Hotline Console"),
                          QString::fromStdString(e.what()));
    return 1;
  }
}
