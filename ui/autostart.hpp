#pragma once
// Starting the console when the user logs in: an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/hotline-console.desktop, ~/.config when unset), which every
// freedesktop.org session (GNOME, KDE, Xfce, …) runs at login. The entry starts this program
// on this profile.

#include <QString>
#include <filesystem>

namespace hotline::ui {

QString autostart_entry_path();
bool autostart_enabled();
// Writes the entry (atomically) or removes it. Returns an error message, empty on success.
QString set_autostart(bool enabled, const QString& program, const std::filesystem::path& profile);

}  // namespace hotline::ui
