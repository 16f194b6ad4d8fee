#pragma once
// Runs a function on another QObject's thread through its event queue: the only way work
// crosses between the GUI, the console worker and the engine thread in ui/.
//
// Why not QMetaObject::invokeMethod alone: Qt as Debian ships it is not built with
// ThreadSanitizer, and its event queue hands a queued call over under futex-based locks TSan
// cannot see, so every queued lambda's first look at its captures reads as a race. A
// std::mutex of the receiving thread, held while the call is posted and taken by the call
// before it runs, orders the same accesses in a way TSan sees: a post happens before its run,
// and runs on one thread happen in order, as with Qt's queue itself. TSan then checks the
// console's own cross-thread data and reports nothing that Qt already orders. The mutex is
// held for the post only (no waiting).

#include <QMetaObject>
#include <QObject>
#include <QThread>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace hotline::ui {

namespace detail {
// One per receiving thread (16 shared out by hash).
std::mutex& queued_call_mutex(const QThread* receiver);
}  // namespace detail

// Queues `f` to run on `context`'s thread and returns at once. Nothing runs if `context` is
// destroyed first.
template <typename F>
void post_to(QObject* context, F&& f) {
  // Not captured: the call must not read its captures before it holds the mutex.
  auto call = [f = std::forward<F>(f)]() mutable {
    { std::lock_guard ordered(detail::queued_call_mutex(QThread::currentThread())); }
    f();
  };
  std::lock_guard posting(detail::queued_call_mutex(context->thread()));
  QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
}

// Runs `f` on `context`'s thread and waits until it has run. Never from that thread itself.
template <typename F>
void run_on_and_wait(QObject* context, F&& f) {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  post_to(context, [&] {
    f();
    std::lock_guard lock(mutex);
    done = true;
    done_changed.notify_one();
  });
  std::unique_lock lock(mutex);
  done_changed.wait(lock, [&] { return done; });
}

}  // namespace hotline::ui
