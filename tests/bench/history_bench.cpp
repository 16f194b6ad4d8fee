// Filtering the sealed call history at 100 000 rows, as an operator's view does it: each
// filter on its own, the text search, what an unlock adds (every epoch key and row opened
// anew) and the first filter after it. Every query reads and opens every row: the fields are
// not in the clear for SQL to filter. Google Benchmark reports the time per query;
// docs/performance.md quotes it.

#include <benchmark/benchmark.h>

#include <random>

#include "core/store/call_history.hpp"
#include "core/store/database.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

constexpr int kRows = 100'000;
constexpr std::int64_t kStart = 1'700'000'000'000;  // 2023-11-14
constexpr std::int64_t kSpacing = 10 * 60 * 1000;   // a call every 10 minutes: about 2 years
constexpr int kRowsPerStart = 100;                  // a console start a week: 1 000 epochs

struct History {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed{db};
  HistoryRecords calls = sealed.reader();

  History() {
    static constexpr const char* kPeers[] = {"Singapore", "Tokyo", "新加坡国防部", "Canberra",
                                             "Jakarta",   "Seoul", "Hanoi",        "Manila"};
    std::mt19937 rng(7);
    Transaction transaction(db);
    std::optional<CallHistory> writer;
    for (int i = 0; i < kRows; ++i) {
      if (i % kRowsPerStart == 0) {
        writer.emplace(db, std::make_shared<const HistoryEpoch>(
                               HistoryKeyStore(db).create_epoch(sealed.keys, i)));
      }
      CallRecord r;
      r.peer_name = kPeers[rng() % 8];
      r.peer_fingerprint = "12345 67890 " + std::to_string(rng() % 100000);
      r.direction = rng() % 2 ? CallDirection::kIn : CallDirection::kOut;
      r.started_at = kStart + std::int64_t{i} * kSpacing;
      r.last_seen_at = r.started_at + 60'000;
      r.ended_at = r.last_seen_at;
      r.outcome = static_cast<CallOutcome>(rng() % kCallOutcomeCount);
      r.sas = "Burbank Medusa miser vagabond";
      if (i % 50 == 0) r.note = "called back by the duty officer " + std::to_string(i);
      writer->begin(r);
    }
    transaction.commit();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
};

History& history() {
  static History h;
  return h;
}

void run(benchmark::State& state, const HistoryFilter& filter) {
  HistoryRecords& calls = history().calls;
  std::size_t rows = 0;
  for (auto _ : state) {
    const auto result = calls.query(filter);
    rows = result.size();
    benchmark::DoNotOptimize(result.data());
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void newest_page(benchmark::State& state) {
  HistoryFilter f;
  f.limit = 100;
  run(state, f);
}

void by_peer(benchmark::State& state) {
  HistoryFilter f;
  f.peer = "Tokyo";
  f.limit = 100;
  run(state, f);
}

void by_outcome_all(benchmark::State& state) {
  HistoryFilter f;
  f.outcome = CallOutcome::kMissed;  // every missed call, about 10 000
  run(state, f);
}

void one_week(benchmark::State& state) {
  HistoryFilter f;
  f.since = kStart + 50'000 * kSpacing;
  f.until = *f.since + 7 * 24 * 3600 * 1000LL;
  run(state, f);
}

void peer_outcome_direction_month(benchmark::State& state) {
  HistoryFilter f;
  f.peer = "Singapore";
  f.outcome = CallOutcome::kAnswered;
  f.direction = CallDirection::kOut;
  f.since = kStart + 20'000 * kSpacing;
  f.until = *f.since + 30 * 24 * 3600 * 1000LL;
  run(state, f);
}

void text_search(benchmark::State& state) {
  HistoryFilter f;
  f.text = "DUTY OFFICER 4";  // a full scan: LIKE on five columns of every row
  f.limit = 100;
  run(state, f);
}

// What an operator's unlock adds to the Argon2id check: a new grant opens all 1 000 epoch keys
// (one symmetric unwrap each) and every row (HistoryRecords::load, run by the console as part
// of the unlock, off the GUI thread).
void unlock_opens_the_history(benchmark::State& state) {
  History& h = history();
  for (auto _ : state) {
    std::optional<HistoryRecords> fresh(h.sealed.reader());
    fresh->load();
    benchmark::DoNotOptimize(fresh->unreadable());
    state.PauseTiming();
    fresh.reset();  // a grant's rows are freed at lock, not as part of the unlock
    state.ResumeTiming();
  }
}

// What an operator's unlock does while Argon2id checks the passphrase, on another thread and
// connection (admin::RoleGate): the table read and its boxes copied, none opened.
void read_ahead_during_the_passphrase_check(benchmark::State& state) {
  History& h = history();
  for (auto _ : state) {
    std::optional<HistoryRecords::ReadAhead> ahead(HistoryRecords::ReadAhead::read(h.db.path()));
    state.PauseTiming();
    ahead.reset();
    state.ResumeTiming();
  }
}

// What is left once the passphrase is accepted: the epoch keys and every row opened from the
// table read ahead (it did not change meanwhile).
void unlock_after_the_read_ahead(benchmark::State& state) {
  History& h = history();
  for (auto _ : state) {
    state.PauseTiming();
    HistoryRecords::ReadAhead ahead = HistoryRecords::ReadAhead::read(h.db.path());
    state.ResumeTiming();
    std::optional<HistoryRecords> fresh(h.sealed.reader());
    fresh->use(std::move(ahead));
    fresh->load();
    benchmark::DoNotOptimize(fresh->unreadable());
    state.PauseTiming();
    if (fresh->table_reads() != 0) state.SkipWithError("the read-ahead was not used");
    fresh.reset();
    state.ResumeTiming();
  }
}

// The operator's first filter after that unlock: as quick as every later one.
void first_filter_after_the_unlock(benchmark::State& state) {
  History& h = history();
  HistoryFilter f;
  f.peer = "Tokyo";
  f.limit = 100;
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<HistoryRecords> fresh(h.sealed.reader());
    fresh->load();
    state.ResumeTiming();
    benchmark::DoNotOptimize(fresh->query(f).data());
    state.PauseTiming();
    fresh.reset();  // its 100 000 rows freed outside the measurement
    state.ResumeTiming();
  }
}

// A query after another process wrote one row (a call's heartbeat): the table is read again
// and only the changed row opened.
void newest_page_after_a_write(benchmark::State& state) {
  History& h = history();
  CallRecord r;
  r.peer_name = "Singapore";
  r.started_at = r.last_seen_at = kStart;
  CallHistory writer(h.db, h.sealed.epoch);
  const std::int64_t id = writer.begin(r);
  HistoryFilter f;
  f.limit = 100;
  for (auto _ : state) {
    state.PauseTiming();
    r.id = id;
    ++r.last_seen_at;
    writer.update(r);
    state.ResumeTiming();
    benchmark::DoNotOptimize(h.calls.query(f).data());
  }
}

// A query after another process changed another table (an audit entry, a setting): the
// history's change count says its rows did not change, and nothing is read.
void newest_page_after_another_table_changed(benchmark::State& state) {
  History& h = history();
  Database other = Database::open(h.db.path());
  HistoryFilter f;
  f.limit = 100;
  std::int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    other.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('bench', ?1)")
        .bind(1, std::to_string(++n))
        .run();
    state.ResumeTiming();
    benchmark::DoNotOptimize(h.calls.query(f).data());
  }
}

void count_by_outcome(benchmark::State& state) {
  HistoryRecords& calls = history().calls;
  HistoryFilter f;
  f.outcome = CallOutcome::kMissed;
  for (auto _ : state) benchmark::DoNotOptimize(calls.count(f));
}

}  // namespace

BENCHMARK(newest_page)->Unit(benchmark::kMillisecond);
BENCHMARK(by_peer)->Unit(benchmark::kMillisecond);
BENCHMARK(by_outcome_all)->Unit(benchmark::kMillisecond);
BENCHMARK(one_week)->Unit(benchmark::kMillisecond);
BENCHMARK(peer_outcome_direction_month)->Unit(benchmark::kMillisecond);
BENCHMARK(text_search)->Unit(benchmark::kMillisecond);
BENCHMARK(count_by_outcome)->Unit(benchmark::kMillisecond);
BENCHMARK(unlock_opens_the_history)->Unit(benchmark::kMillisecond);
BENCHMARK(read_ahead_during_the_passphrase_check)->Unit(benchmark::kMillisecond);
BENCHMARK(unlock_after_the_read_ahead)->Unit(benchmark::kMillisecond);
BENCHMARK(first_filter_after_the_unlock)->Unit(benchmark::kMillisecond);
BENCHMARK(newest_page_after_a_write)->Unit(benchmark::kMillisecond);
BENCHMARK(newest_page_after_another_table_changed)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
