#include "core/call/handshake_reader.hpp"

#include "core/util/realtime_thread.hpp"

namespace hotline::call {

HandshakeReader::HandshakeReader(std::shared_ptr<const crypto::Identity> identity, Done done)
    : identity_(std::move(identity)), done_(std::move(done)) {
  thread_ = std::thread([this] { run(); });
}

HandshakeReader::~HandshakeReader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

bool HandshakeReader::submit(InitiationRead job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= kMaxQueued) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void HandshakeReader::run() {
  name_this_thread("hotline-handshake");
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    InitiationRead job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      run_initiation_read(job, *identity_);
    } catch (...) {
      job.result.reset();  // bad input fails the read without a throw; anything else fails it too
    }
    done_(std::move(job));
    lock.lock();
  }
}

}  // namespace hotline::call
