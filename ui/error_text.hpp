#pragma once
// The sentence a user reads for an error, in the user's language: from the error's code and
// values where core gave one (hotline::ErrorCode), else the English text inside a translated
// frame. Safe on any thread (Qt's translation lookup is).

#include <QString>
#include <exception>

#include "core/util/error.hpp"

namespace hotline::ui {

QString error_text(const std::exception& error);
// The sentence for `code` with its values; empty for kUnspecified.
QString error_text(ErrorCode code, const std::vector<std::string>& values);

}  // namespace hotline::ui
