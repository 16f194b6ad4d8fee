// The widget tests' main: one QApplication for all of them, on the offscreen platform unless
// QT_QPA_PLATFORM says otherwise, with the console's resources loaded.

#include <QApplication>
#include <catch2/catch_session.hpp>

#include "ui/language.hpp"

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM",
          qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  hotline::ui::init_resources();
  hotline::ui::set_language("en");
  return Catch::Session().run(argc, argv);
}
