// CPU of one full-duplex call: two consoles in this process, each with a clocked virtual sound
// card playing speech-like sound into its microphone and discarding what its loudspeaker
// plays, connected over loopback for --benchmark_min_time of real time (60 s by default in
// docs/performance.md). The figure is the process's CPU time over the call's wall time, for
// both consoles together (engine threads, device threads, codec, voice processing, crypto).

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "core/audio/sample_io.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace std::chrono_literals;

namespace {

// Speech-like sound on a loop, so the codec and the voice processing see voice all call long.
class LoopingSpeech final : public audio::SampleSource {
 public:
  LoopingSpeech() : samples_(test::speech_like(48000 * 10, 5)) {}
  void fill(std::span<std::int16_t> out) override {
    for (auto& s : out) {
      s = samples_[at_];
      at_ = (at_ + 1) % samples_.size();
    }
  }
  std::string description() const override { return "looping speech-like sound"; }

 private:
  std::vector<std::int16_t> samples_;
  std::size_t at_ = 0;
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void full_duplex_call(benchmark::State& state, bool voice_processing) {
  const auto seconds = std::chrono::seconds(state.range(0));
  for (auto _ : state) {
    test::TestConsole a{"Beijing"}, b{"Singapore"};
    for (auto* console : {&a, &b}) {
      audio::VoiceOptions voice;
      voice.echo_cancellation = voice.noise_suppression = voice_processing;
      console->set_voice(voice);
      console->set_device_factory([] {
        return std::make_shared<audio::ClockedDevice>(std::make_unique<LoopingSpeech>(),
                                                      std::make_unique<audio::DiscardSink>());
      });
    }
    a.start();
    b.start();  // each knows the other's port only once both are listening
    a.add_peer(b);
    b.add_peer(a);
    const auto id = a.engine().call("Singapore", {});
    b.answer_incoming();
    a.wait_state(call::CallState::kConnected);
    std::this_thread::sleep_for(1s);  // past connection set-up and the jitter buffer's start

    const double cpu_before = cpu_seconds();
    const auto wall_before = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(seconds);  // the call runs; this thread only waits
    const double cpu = cpu_seconds() - cpu_before;
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_before;

    const auto stats = a.engine().call_stats(id);
    a.engine().hangup(id);
    a.wait_ended();
    b.wait_ended();
    state.SetIterationTime(wall.count());
    state.counters["cpu_percent_of_one_core"] = 100.0 * cpu / wall.count();
    const double frames = stats ? static_cast<double>(stats->media.voice_packets_received) : 0;
    state.counters["frames_received_a"] = frames;
    // 50 frames a second: a call that did not carry voice all along measured nothing useful.
    // Sanitizer builds (where CI only checks that this runs) fall behind real time in places.
    const double carried = test::kRealtimeJudged ? 0.9 : 0.5;
    if (frames < carried * 50 * static_cast<double>(seconds.count() + 1))
      state.SkipWithError("the call did not carry voice throughout");
  }
}

}  // namespace

// --seconds N (default 60): how long each call is measured.
int main(int argc, char** argv) {
  long seconds = 60;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--seconds" && i + 1 < argc) {
      seconds = std::strtol(argv[++i], nullptr, 10);
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (seconds < 1 || seconds > 3600) {
    std::fprintf(stderr, "hotline-bench-call: --seconds must be 1..3600\n");
    return 2;
  }
  for (const bool processing : {true, false}) {
    benchmark::RegisterBenchmark(
        processing ? "BM_FullDuplexCall" : "BM_FullDuplexCallNoVoiceProcessing",
        [processing](benchmark::State& state) { full_duplex_call(state, processing); })
        ->Arg(seconds)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
  }
  int count = static_cast<int>(rest.size());
  benchmark::Initialize(&count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(count, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
