#include "ui/language.hpp"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void init_ui_resources() {
  Q_INIT_RESOURCE(resources);
}

namespace hotline::ui {

void init_resources() {
  init_ui_resources();
}

namespace {

QTranslator& ours() {
  static QTranslator t;
  return t;
}
QTranslator& qt_base() {
  static QTranslator t;
  return t;
}
QString& current() {
  static QString code = "en";
  return code;
}

}  // namespace

void set_language(const QString& requested) {
  QString code = requested;
  if (code.isEmpty()) code = QLocale::system().name().startsWith("zh") ? "zh_CN" : "en";
  if (!available_languages().contains(code)) code = "en";
  // The same language again (Settings saved with it unchanged, or "" meaning it): no
  // LanguageChange, which would rebuild every page for nothing.
  static bool installed = false;
  if (installed && code == current()) return;
  installed = true;
  QCoreApplication::removeTranslator(&ours());
  QCoreApplication::removeTranslator(&qt_base());
  current() = code;
  // Ours are built in (English's holds only the plural forms: "1 call", "2 calls"); Qt's
  // own (dialog buttons) come from the system when installed.
  if (ours().load(":/i18n/hotline_" + code + ".qm")) QCoreApplication::installTranslator(&ours());
  if (code != "en" &&
      qt_base().load("qtbase_" + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(&qt_base());
  }
  QLocale::setDefault(QLocale(code == "en" ? "en_GB" : code));
  // The window system adds this to every window title that does not end with it already.
  QGuiApplication::setApplicationDisplayName(QObject::tr("Hotline Console"));
}

QString startup_language(const QString& command_line, const QString& setting) {
  return command_line.isEmpty() ? setting : command_line;
}

QString current_language() {
  return current();
}

QStringList available_languages() {
  return {"en", "zh_CN"};
}

QString language_name(const QString& code) {
  return code == "zh_CN" ? QString::fromUtf8("简体中文") : QString("English");
}

}  // namespace hotline::ui
