#pragma once
// The console's language: English (the source strings) or Simplified Chinese, switchable
// while it runs. Views rebuild themselves on QEvent::LanguageChange.

#include <QString>
#include <QStringList>

namespace hotline::ui {

// The icons, sounds and translations built into the ui library (a static library, whose
// resources a program must ask for). Call once before any widget.
void init_resources();

// "en" or "zh_CN"; "" picks by the system locale.
void set_language(const QString& code);
QString current_language();
// The language a console opens in: --language when given on the command line, else its
// setting, else the system's ("" → set_language picks).
QString startup_language(const QString& command_line, const QString& setting);
QStringList available_languages();           // codes, English first
QString language_name(const QString& code);  // in that language: "English", "简体中文"

}  // namespace hotline::ui
