#include "ui/history_report.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include "core/util/error.hpp"
#include "ui/texts.hpp"

// Qt's translation context of these strings, at file scope so that lupdate names it as the
// program does ("HistoryReport").
class HistoryReport {
  Q_DECLARE_TR_FUNCTIONS(HistoryReport)
};

namespace hotline::ui {
void write_history_pdf(const QString& path, const QString& console_name,
                       const QString& filter_description,
                       const std::vector<store::CallRecord>& calls) {
  QPdfWriter pdf(path);
  pdf.setPageSize(QPageSize(QPageSize::A4));
  pdf.setPageOrientation(QPageLayout::Landscape);
  pdf.setResolution(150);
  pdf.setTitle(HistoryReport::tr("Call history of %1").arg(console_name));
  pdf.setCreator("Hotline Console");
  QPainter painter;
  if (!painter.begin(&pdf)) {
    throw Error(ErrorCode::kFileNotWritable, "cannot write " + path.toStdString(),
                {path.toStdString()});
  }
  const QRect page = painter.viewport();
  QFont title_font("Noto Sans CJK SC", 16, QFont::Bold);
  QFont body("Noto Sans CJK SC", 8);
  // Shaped, this font draws its digits with substitute glyphs that no character maps to, and
  // Qt's PDF writer can only name glyphs it reaches through the font's character map: the
  // digits were drawn but lost to copying and text extraction (pdftotext). Unshaped text
  // uses the plain glyphs; Chinese and Latin text need no shaping.
  title_font.setStyleStrategy(QFont::PreferNoShaping);
  body.setStyleStrategy(QFont::PreferNoShaping);
  const int line = QFontMetrics(body, &pdf).height() + 4;
  // Columns as fractions of the page width.
  const double widths[] = {0.16, 0.08, 0.16, 0.12, 0.07, 0.1, 0.09, 0.22};
  const QStringList headers = {HistoryReport::tr("Started"),  HistoryReport::tr("Direction"),
                               HistoryReport::tr("Peer"),     HistoryReport::tr("Outcome"),
                               HistoryReport::tr("Duration"), HistoryReport::tr("SAS"),
                               HistoryReport::tr("Loss"),     HistoryReport::tr("Note")};
  int y = 0;
  const auto header = [&] {
    painter.setFont(title_font);
    painter.drawText(QRect(0, y, page.width(), line * 2), Qt::AlignLeft | Qt::AlignVCenter,
                     HistoryReport::tr("Call history of %1").arg(console_name));
    y += line * 2;
    painter.setFont(body);
    painter.drawText(QRect(0, y, page.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                     HistoryReport::tr("Filter: %1 · %n call(s) · made %2", nullptr,
                                       static_cast<int>(calls.size()))
                         .arg(filter_description, QLocale().toString(QDateTime::currentDateTime(),
                                                                     QLocale::LongFormat)));
    y += line * 2;
    QFont bold = body;
    bold.setBold(true);
    painter.setFont(bold);
    double x = 0;
    for (int i = 0; i < headers.size(); ++i) {
      painter.drawText(QRectF(x, y, widths[i] * page.width(), line), Qt::AlignLeft, headers[i]);
      x += widths[i] * page.width();
    }
    y += line;
    painter.drawLine(0, y, page.width(), y);
    y += 4;
    painter.setFont(body);
  };
  header();
  for (const store::CallRecord& c : calls) {
    if (y + line > page.height()) {
      pdf.newPage();
      y = 0;
      header();
    }
    const QStringList cells = {
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(c.started_at), QLocale::ShortFormat),
        direction_text(c.direction),
        QString::fromStdString(c.peer_name) + (c.peer_verified ? "" : " (!)"),
        c.outcome ? outcome_text(*c.outcome) : HistoryReport::tr("In progress"),
        c.answered_at ? duration_text(c.duration_s) : QString(),
        !c.answered_at                                    ? QString()
        : c.sas_confirmed_local && c.sas_confirmed_remote ? HistoryReport::tr("both")
        : c.sas_confirmed_local || c.sas_confirmed_remote ? HistoryReport::tr("one side")
                                                          : HistoryReport::tr("no"),
        c.quality ? QString("%1 %").arg(c.quality->loss_percent, 0, 'f', 1) : QString(),
        QString::fromStdString(c.note).simplified()};
    double x = 0;
    for (int i = 0; i < cells.size(); ++i) {
      const QRectF cell(x, y, widths[i] * page.width() - 6, line);
      painter.drawText(cell, Qt::AlignLeft | Qt::AlignVCenter,
                       painter.fontMetrics().elidedText(cells[i], Qt::ElideRight,
                                                        static_cast<int>(cell.width())));
      x += widths[i] * page.width();
    }
    y += line;
  }
  if (!painter.end()) {
    throw Error(ErrorCode::kFileNotWritable, "cannot finish " + path.toStdString(),
                {path.toStdString()});
  }
}

}  // namespace hotline::ui
