#pragma once
// A scripted walk through both demo windows that grabs every view as a PNG (QWidget::grab,
// so it works on the offscreen platform): the directory, an incoming call, a call in progress
// with its SAS, the history, the peers, the audit log, the settings, and the same in
// Simplified Chinese. scripts/screenshots.sh uses it to keep docs/screenshots/ current; the
// headless demo uses it to show what happened.

#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <vector>

namespace hotline::ui {

class MainWindow;

class ScreenshotTour : public QObject {
  Q_OBJECT

 public:
  ScreenshotTour(MainWindow& caller, MainWindow& callee, QString directory,
                 QObject* parent = nullptr);
  void start();

 signals:
  void finished(bool ok, const QString& message);

 private:
  struct Step {
    QString what;
    std::function<bool()> ready;  // the step runs once this holds
    std::function<void()> run;
  };
  void add(QString what, std::function<bool()> ready, std::function<void()> run);
  void grab(MainWindow& window, const QString& name);
  void poll();

  MainWindow& caller_;
  MainWindow& callee_;
  QString directory_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  int waited_ms_ = 0;
  QTimer timer_;
  bool unlocked_ = false;
  int grabbed_ = 0;
};

}  // namespace hotline::ui
