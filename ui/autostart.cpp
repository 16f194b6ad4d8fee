#include "ui/autostart.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace hotline::ui {
namespace {

// An Exec argument, quoted as the Desktop Entry Specification asks: inside double quotes,
// `"`, `` ` ``, `$` and `\` are escaped with a backslash (and `%` doubled, as field codes).
QString quoted(const QString& argument) {
  QString out = "\"";
  for (const QChar c : argument) {
    if (c == '"' || c == '`' || c == '$' || c == '\\') out += '\\';
    if (c == '%') out += '%';
    out += c;
  }
  return out + "\"";
}

}  // namespace

QString autostart_entry_path() {
  return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
         "/autostart/hotline-console.desktop";
}

bool autostart_enabled() {
  return QFileInfo::exists(autostart_entry_path());
}

QString set_autostart(bool enabled, const QString& program, const std::filesystem::path& profile) {
  const QString path = autostart_entry_path();
  if (!enabled) {
    if (QFileInfo::exists(path) && !QFile::remove(path)) {
      return QObject::tr("Cannot remove %1.").arg(path);
    }
    return {};
  }
  if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
    return QObject::tr("Cannot create the folder of %1.").arg(path);
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
  }
  const QString exec =
      quoted(program) + " --profile " + quoted(QString::fromStdString(profile.string()));
  const QByteArray entry = QStringLiteral(
                               "[Desktop Entry]\n"
                               "Type=Application\n"
                               "Name=Hotline Console\n"
                               "Comment=Secure voice hotline\n"
                               "Exec=%1\n"
                               "Icon=hotline-console\n"
                               "Terminal=false\n"
                               "X-GNOME-Autostart-enabled=true\n")
                               .arg(exec)
                               .toUtf8();
  if (file.write(entry) != entry.size() || !file.commit()) {
    return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
  }
  return {};
}

}  // namespace hotline::ui
