#pragma once
// Noise reads of initiations, off the voice path (docs/security.md, "Denial of service"). The
// protocol core asks for them through CoreOutput::read_initiation once an initiation has
// passed every check made before Diffie-Hellman; the engine shell hands them to this reader's
// thread, whose results go back to the core's thread. That read is the handshake work anyone
// holding this console's card can ask for; what follows it (a response) needs a peer's static
// key and stays bounded by the per-peer limit. The queue is bounded: past kMaxQueued reads,
// more are refused and counted (the core's budget keeps them far below it).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/call/protocol_core.hpp"
#include "core/crypto/identity.hpp"

namespace hotline::call {

class HandshakeReader {
 public:
  static constexpr std::size_t kMaxQueued = 256;
  // Called on the reader's thread with each job, read.
  using Done = std::function<void(InitiationRead)>;

  HandshakeReader(std::shared_ptr<const crypto::Identity> identity, Done done);
  ~HandshakeReader();  // drops what is queued, joins the thread
  HandshakeReader(const HandshakeReader&) = delete;
  HandshakeReader& operator=(const HandshakeReader&) = delete;

  // False (and the job dropped) when kMaxQueued reads are waiting already.
  bool submit(InitiationRead job);

 private:
  void run();

  const std::shared_ptr<const crypto::Identity> identity_;
  const Done done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<InitiationRead> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hotline::call
