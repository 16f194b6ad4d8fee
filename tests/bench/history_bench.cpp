// Filtering the call history at 100 000 rows, as an operator's view does it: each filter on
// its own and the text search that no index serves. Google Benchmark reports the time per
// query; docs/performance.md quotes it.

#include <benchmark/benchmark.h>

#include <random>

#include "core/store/call_history.hpp"
#include "core/store/database.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

constexpr int kRows = 100'000;
constexpr std::int64_t kStart = 1'700'000'000'000;  // 2023-11-14
constexpr std::int64_t kSpacing = 10 * 60 * 1000;   // a call every 10 minutes: about 2 years

struct History {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  CallHistory calls{db};

  History() {
    static constexpr const char* kPeers[] = {"Singapore", "Tokyo", "新加坡国防部", "Canberra",
                                             "Jakarta",   "Seoul", "Hanoi",        "Manila"};
    std::mt19937 rng(7);
    Transaction transaction(db);
    for (int i = 0; i < kRows; ++i) {
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
      calls.begin(r);
    }
    transaction.commit();
  }
};

History& history() {
  static History h;
  return h;
}

void run(benchmark::State& state, const HistoryFilter& filter) {
  CallHistory& calls = history().calls;
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

void count_by_outcome(benchmark::State& state) {
  CallHistory& calls = history().calls;
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

BENCHMARK_MAIN();
