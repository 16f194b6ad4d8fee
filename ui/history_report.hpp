#pragma once
// A printable report of the calls a filter selects: a PDF (QPdfWriter), A4, with the console,
// the filter, when it was made, and one line per call. Painting needs no GUI thread, so it is
// made on the console's worker.

#include <QString>
#include <vector>

#include "core/store/call_history.hpp"

namespace hotline::ui {

// Throws hotline::Error if the file cannot be written.
void write_history_pdf(const QString& path, const QString& console_name,
                       const QString& filter_description,
                       const std::vector<store::CallRecord>& calls);

}  // namespace hotline::ui
