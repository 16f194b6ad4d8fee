// Two connections to one file from two threads, as the call engine and the UI will have.

#include <sodium.h>

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <exception>
#include <string>
#include <thread>

#include "core/store/call_history.hpp"
#include "core/store/database.hpp"
#include "core/store/peer_store.hpp"
#include "core/store/settings_store.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

// Runs `body` on a thread and hands back any exception so the test can report it.
class Worker {
 public:
  template <typename Body>
  explicit Worker(Body body)
      : thread_([this, body]() mutable {
          try {
            body();
          } catch (...) {
            error_ = std::current_exception();
          }
        }) {}
  void join_and_rethrow() {
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::exception_ptr error_;
  std::thread thread_;
};

crypto::PublicKey key_for(int i) {
  crypto::PublicKey key{};
  key[0] = static_cast<std::uint8_t>(i);
  key[1] = static_cast<std::uint8_t>(i >> 8);
  key[31] = 0x5A;
  return key;
}

}  // namespace

TEST_CASE("a reader thread and a writer thread share the file without 'database is locked'") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  { Database::open(path); }  // schema exists before both start
  constexpr int kWrites = 1000;
  constexpr int kReads = 1000;
  std::atomic<bool> writer_done{false};

  Worker writer([&] {
    struct SignalDone {  // even if the writer fails, so the reader stops
      std::atomic<bool>& flag;
      ~SignalDone() { flag = true; }
    } signal_done{writer_done};
    Database db = Database::open(path);
    PeerStore peers(db);
    SettingsStore settings(db);
    for (int i = 0; i < kWrites; ++i) {
      if (i % 2 == 0) {
        PeerRecord peer;
        peer.name = "peer-" + std::to_string(i);
        peer.public_key = key_for(i);
        peer.endpoints = {"192.0.2.1:" + std::to_string(1000 + i)};
        peer.card_text = "card";
        peers.add(peer);
      } else {
        settings.set("counter", std::to_string(i));
      }
    }
  });
  int reads = 0;
  std::size_t last_seen = 0;
  bool monotonic = true;
  Worker reader([&] {
    Database db = Database::open(path);
    PeerStore peers(db);
    SettingsStore settings(db);
    for (; reads < kReads || !writer_done; ++reads) {
      const std::size_t seen = peers.list().size();
      if (seen < last_seen) monotonic = false;
      last_seen = seen;
      settings.get("counter");
    }
  });
  writer.join_and_rethrow();
  reader.join_and_rethrow();

  CHECK(reads >= kReads);
  CHECK(monotonic);  // each read saw a committed snapshot, never a rolled-back state
  Database db = Database::open(path);
  CHECK(PeerStore(db).list().size() == kWrites / 2);
  CHECK(SettingsStore(db).get("counter") == std::to_string(kWrites - 1));
}

TEST_CASE("two writer threads never lose a read-modify-write or a replay decision") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database db = Database::open(path);
    SettingsStore(db).set("count", "0");
  }
  constexpr int kPerThread = 500;
  const crypto::PublicKey shared_peer = key_for(7);
  std::atomic<int> accepted{0};

  auto body = [&](std::uint32_t parity) {
    Database db = Database::open(path);
    SettingsStore settings(db);
    PeerStore peers(db);
    for (int i = 0; i < kPerThread; ++i) {
      Transaction transaction(db);
      const int count = std::stoi(*settings.get("count"));
      settings.set("count", std::to_string(count + 1));
      transaction.commit();

      // Both threads offer distinct, individually increasing timestamps for one peer; any
      // timestamp accepted must be newer than every timestamp accepted before it.
      HandshakeTimestamp ts{};
      const std::uint32_t value = static_cast<std::uint32_t>(i) * 2 + parity;
      for (int b = 0; b < 4; ++b) ts[11 - b] = static_cast<std::uint8_t>(value >> (8 * b));
      if (peers.accept_handshake_timestamp(shared_peer, ts)) ++accepted;
    }
  };
  Worker first([&] { body(0); });
  Worker second([&] { body(1); });
  first.join_and_rethrow();
  second.join_and_rethrow();

  Database db = Database::open(path);
  CHECK(SettingsStore(db).get("count") == std::to_string(2 * kPerThread));
  const auto last = PeerStore(db).last_handshake_timestamp(shared_peer);
  REQUIRE(last);
  const std::uint32_t last_value = (std::uint32_t{(*last)[8]} << 24) |
                                   (std::uint32_t{(*last)[9]} << 16) |
                                   (std::uint32_t{(*last)[10]} << 8) | (*last)[11];
  CHECK(last_value == 2 * kPerThread - 1);  // the largest offer is always accepted
  // Of each pair (2k, 2k+1) at least one is accepted whatever the interleaving.
  CHECK(accepted >= kPerThread);
  CHECK(accepted <= 2 * kPerThread);
}

TEST_CASE("the call recorder's writes and an operator's history queries run side by side") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  Database setup = Database::open(path);
  test::SealedHistory sealed(setup);
  constexpr int kCalls = 300;
  std::atomic<bool> writer_done{false};
  Worker writer([&] {
    struct SignalDone {
      std::atomic<bool>& flag;
      ~SignalDone() { flag = true; }
    } signal_done{writer_done};
    Database db = Database::open(path);
    CallHistory history(db, sealed.epoch);
    for (int i = 0; i < kCalls; ++i) {
      CallRecord r;
      r.peer_name = i % 2 ? "Singapore" : "Tokyo";
      r.peer_fingerprint = "f";
      r.started_at = r.last_seen_at = 1000 * i;
      r.id = history.begin(r);  // at start, then at each change, as the recorder writes
      r.last_seen_at = 1000 * i + 500;
      const CallRecord open[] = {r};
      history.touch(open);
      r.answered_at = 1000 * i + 100;
      history.update(r);
      r.ended_at = 1000 * i + 900;
      r.outcome = CallOutcome::kAnswered;
      history.update(r);
    }
  });
  int queries = 0;
  bool consistent = true;
  Worker reader([&] {
    Database db = Database::open(path);
    HistoryRecords history = sealed.reader();
    HistoryFilter f;
    f.peer = "Singapore";
    for (; !writer_done || queries < 50; ++queries) {
      const auto rows = history.query(f);
      for (const auto& r : rows) {
        if (r.outcome && !r.ended_at) consistent = false;  // never a half-written row
      }
      history.count({});
    }
  });
  writer.join_and_rethrow();
  reader.join_and_rethrow();
  CHECK(queries >= 50);
  CHECK(consistent);
  CHECK(sealed.reader().count({}) == kCalls);
}
