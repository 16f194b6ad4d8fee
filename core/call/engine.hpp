#pragma once
// The console's engine: a thin shell around the protocol core (protocol_core.hpp). One thread
// runs a standalone Asio io_context that owns the UDP socket and one timer; it feeds the core
// datagrams, commands and the time, carries out the core's effects, and sleeps until the
// core's next deadline — no periodic tick. A second thread does the Noise reads of incoming
// initiations (handshake_reader.hpp), so a handshake flood does no Diffie-Hellman on the
// thread that moves the voice. Every input is handled under an error boundary:
// a failure is counted (EngineCounters::internal_errors) and logged, and the engine goes on.
// Public methods may be called from any thread; they post work to the engine thread and
// return at once. Events reach the listener on the engine thread — a UI adapter re-posts them
// to its own thread (the GUI never blocks on the engine).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/call/protocol_types.hpp"
#include "core/util/error.hpp"

namespace hotline::call {

// The listening address cannot be bound. `in_use`: another socket has the port (another
// console, or another program), which the user can fix by choosing another address.
class ListenError : public Error {
 public:
  ListenError(const std::string& message, std::string endpoint, bool in_use)
      : Error(message), endpoint_(std::move(endpoint)), in_use_(in_use) {}
  const std::string& endpoint() const { return endpoint_; }  // the address that was refused
  bool in_use() const { return in_use_; }

 private:
  std::string endpoint_;
  bool in_use_;
};

class Engine {
 public:
  // Binds the socket (throws ListenError with a clear message if it cannot) but does not
  // start the thread yet.
  Engine(EngineConfig config, EngineListener& listener);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start();
  void stop();  // ends any call (as a local hang-up) and joins the thread

  net::Endpoint local_endpoint() const;

  CallId call(const std::string& peer_name, const CallOptions& options);
  void answer(CallId id);
  void decline(CallId id);
  void hangup(CallId id);  // also cancels an unanswered outgoing call
  void set_muted(CallId id, bool muted);
  // Loudspeaker volume for this and later calls, 0 .. 1 (1: as received).
  void set_output_volume(double volume);
  // Our official read the same SAS words as the other side's: recorded here and sent to the
  // peer, whose stats then show sas_confirmed_remote. Connected calls only.
  void confirm_sas(CallId id);
  // The officials read different words: the call ends on both sides as a suspected
  // interception (EndReason::kInterceptionSuspected).
  void report_sas_mismatch(CallId id);
  void update_peers(std::vector<PeerEntry> peers);

  EngineCounters counters() const;
  std::optional<CallStats> call_stats(CallId id) const;

  // How often the engine thread woke up (timer expiries, datagram batches, commands) since it
  // started: the figure the idle-cost goal is about.
  std::uint64_t wakeups() const;

  class Shell;  // engine-thread state: socket, timer, thread, the core

 private:
  std::unique_ptr<Shell> shell_;
};

}  // namespace hotline::call
