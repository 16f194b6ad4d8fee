#pragma once
// A name shown in full where it fits: wrapped at word boundaries, or inside a word when one
// word is wider than the label (a long name with no spaces, a Latin transliteration); past
// `max_lines` lines the last one ends in "…" and the whole name is in the tooltip. QLabel
// wraps only at word boundaries, so a long word was cut off at the label's edge.

#include <QResizeEvent>
#include <QString>
#include <QStringList>
#include <QWidget>

namespace hotline::ui {

class NameLabel : public QWidget {
  Q_OBJECT

 public:
  explicit NameLabel(const QString& text, int max_lines = 3, QWidget* parent = nullptr);

  QString text() const { return text_; }
  void set_text(const QString& text);
  void set_alignment(Qt::Alignment alignment);  // of each line; left by default
  // The lines as painted at `width` (the last one elided when the name needs more).
  QStringList lines_at(int width) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void update_tooltip();

  QString text_;
  int max_lines_;
  Qt::Alignment alignment_ = Qt::AlignLeft;
};

}  // namespace hotline::ui
