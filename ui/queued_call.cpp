#include "ui/queued_call.hpp"

#include <array>
#include <functional>

namespace hotline::ui::detail {

std::mutex& queued_call_mutex(const QThread* receiver) {
  // Fixed, so the mutexes outlive every thread; two threads sharing one only adds an ordering
  // that TSan then assumes, never a report.
  static std::array<std::mutex, 16> mutexes;
  return mutexes[std::hash<const void*>{}(receiver) % mutexes.size()];
}

}  // namespace hotline::ui::detail
