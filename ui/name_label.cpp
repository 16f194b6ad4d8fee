#include "ui/name_label.hpp"

#include <QEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QTextLayout>

namespace hotline::ui {

NameLabel::NameLabel(const QString& text, int max_lines, QWidget* parent)
    : QWidget(parent), text_(text), max_lines_(max_lines) {
  setAccessibleName(text);
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

void NameLabel::set_text(const QString& text) {
  text_ = text;
  setAccessibleName(text);
  update_tooltip();
  updateGeometry();
  update();
}

void NameLabel::set_alignment(Qt::Alignment alignment) {
  alignment_ = alignment;
  update();
}

void NameLabel::update_tooltip() {
  const QStringList lines = lines_at(width());
  const bool cut = lines.join("").remove(' ') != QString(text_).remove(' ');
  setToolTip(cut ? text_ : QString());
}

QStringList NameLabel::lines_at(int width) const {
  QStringList out;
  if (width <= 0) return out;
  QTextLayout layout(text_, font());
  QTextOption option;
  option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  layout.setTextOption(option);
  layout.beginLayout();
  for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
    line.setLineWidth(width);
    out << text_.mid(line.textStart(), line.textLength());
  }
  layout.endLayout();
  if (out.size() > max_lines_) {
    QString rest;
    for (qsizetype i = max_lines_ - 1; i < out.size(); ++i) rest += out[i];
    out = out.mid(0, max_lines_ - 1);
    out << fontMetrics().elidedText(rest.trimmed(), Qt::ElideRight, width);
  }
  for (QString& l : out) l = l.trimmed();
  return out;
}

int NameLabel::heightForWidth(int width) const {
  const auto lines = static_cast<int>(std::max<qsizetype>(1, lines_at(width).size()));
  return lines * fontMetrics().lineSpacing();
}

QSize NameLabel::sizeHint() const {
  const int natural = fontMetrics().horizontalAdvance(text_);
  const int width = std::min(natural, fontMetrics().averageCharWidth() * 20);
  return {width, heightForWidth(width)};
}

QSize NameLabel::minimumSizeHint() const {
  // Any width will do: the name wraps inside words.
  const int width = fontMetrics().averageCharWidth() * 4;
  return {width, fontMetrics().lineSpacing()};
}

void NameLabel::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setPen(palette().color(QPalette::WindowText));
  const QStringList lines = lines_at(width());
  int y = 0;
  for (const QString& line : lines) {
    painter.drawText(QRect(0, y, width(), fontMetrics().lineSpacing()),
                     alignment_ | Qt::AlignVCenter, line);
    y += fontMetrics().lineSpacing();
  }
}

void NameLabel::resizeEvent(QResizeEvent* event) {
  update_tooltip();
  QWidget::resizeEvent(event);
}

void NameLabel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) updateGeometry();
  QWidget::changeEvent(event);
}

}  // namespace hotline::ui
