#include "core/audio/portaudio_device.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/audio/callback_phase.hpp"
#include "core/util/error.hpp"

namespace hotline::audio {

using namespace std::string_view_literals;

struct PortAudioDevice::Stream {
  std::unique_ptr<PortAudioStream> pa;
  bool started = false;
  bool failed = false;
  Clock::time_point started_at;
  std::uint64_t seen_callbacks = 0;
  Clock::time_point last_progress;
  std::string failure;   // a failed duplex stream's, for replace_failed_duplex()
  bool stalled = false;  // it failed by falling silent, not by PortAudio ending it
  CallbackPhase phase;

  explicit Stream(std::unique_ptr<PortAudioStream> stream)
      : pa(std::move(stream)), phase(pa->period()) {}

  // Every callback counts on the capture side when the stream has one.
  std::uint64_t callbacks() const {
    const CallbackState& state = pa->input() ? pa->capture_state() : pa->playback_state();
    return state.callbacks.load(std::memory_order_relaxed);
  }
  std::uint64_t completed() const {
    const CallbackState& state = pa->input() ? pa->capture_state() : pa->playback_state();
    return state.completed.load(std::memory_order_acquire);
  }
};

PortAudioDevice::PortAudioDevice(PortAudioDeviceOptions options) : options_(std::move(options)) {
  if (!options_.input && !options_.output) {
    throw Error("a sound device needs an input or an output");
  }
  if (options_.buffer < std::chrono::milliseconds(1) ||
      options_.buffer > std::chrono::milliseconds(50)) {
    throw Error("sound device buffer must be 1..50 ms");
  }
  std::optional<DeviceInfo> in, out;
  if (options_.input) in = find_input(library_, *options_.input);
  if (options_.output) out = find_output(library_, *options_.output);
  // PortAudio joins only devices of one host API in a stream. A duplex stream that will not
  // open is no error: two streams are the fallback, and they report their own failures.
  if (in && out && options_.duplex && in->host_api == out->host_api) {
    if (auto duplex = PortAudioStream::open_duplex(*in, *out, engine_rings(), options_.buffer)) {
      add(std::move(duplex));
    }
  }
  if (in && !input_) {
    add(PortAudioStream::open(*in, StreamDirection::kInput, engine_rings(), options_.buffer));
  }
  if (out && !output_) {
    add(PortAudioStream::open(*out, StreamDirection::kOutput, engine_rings(), options_.buffer));
  }
  if (!in) {
    health_.capture_ok = false;
    health_.problem = "no input device";
  }
  if (!out) {
    health_.playback_ok = false;
    health_.problem = "no output device";
  }
}

PortAudioDevice::~PortAudioDevice() {
  stop();
  // The live tests' window into a console's device: the mode it ended in, and how it went.
  if (const char* debug = std::getenv("HOTLINE_AUDIO_DEBUG"); debug && debug == "1"sv) {
    const PortAudioDeviceStats s = stats();
    char disturbed[48] = "never";
    if (s.last_disturbance_s >= 0.0) {
      std::snprintf(disturbed, sizeof disturbed, "%.2f s after start", s.last_disturbance_s);
    }
    std::fprintf(stderr,
                 "%s: %llu capture callbacks, %llu overruns; %llu playback callbacks, %llu "
                 "underruns; %llu host xruns; reference shifted %llu times, now by %.1f ms; echo "
                 "path last disturbed %s; %d duplex restarts%s\n",
                 description().c_str(), static_cast<unsigned long long>(s.capture_callbacks),
                 static_cast<unsigned long long>(s.capture_overruns),
                 static_cast<unsigned long long>(s.playback_callbacks),
                 static_cast<unsigned long long>(s.playback_underruns),
                 static_cast<unsigned long long>(s.host_xruns),
                 static_cast<unsigned long long>(s.reference_shifts), s.reference_shift_ms,
                 disturbed, s.duplex_restarts, s.duplex_abandoned ? ", then two streams" : "");
  }
}

void PortAudioDevice::start() {
  if (running_) return;
  running_ = true;
  const Clock::time_point now = Clock::now();
  started_at_ = now;
  disturbances_seen_ = disturbances();
  for (const auto& s : streams_) {
    if (!s->failed) begin(*s, now);
  }
  replace_failed_duplex();
}

void PortAudioDevice::begin(Stream& s, Clock::time_point now) {
  s.seen_callbacks = s.callbacks();
  s.started_at = now;
  s.last_progress = now;
  if (const auto error = s.pa->start()) {
    fail(s, "cannot start: " + *error);
  } else {
    s.started = true;
  }
}

PortAudioDevice::Stream* PortAudioDevice::add(std::unique_ptr<PortAudioStream> pa) {
  auto stream = std::make_unique<Stream>(std::move(pa));
  Stream* s = stream.get();
  std::lock_guard lock(mutex_);
  streams_.push_back(std::move(stream));
  if (s->pa->input()) input_ = s;
  if (s->pa->output()) output_ = s;
  return s;
}

PortAudioDevice::Stream* PortAudioDevice::clock_stream() const {
  for (Stream* s : {input_, output_}) {
    if (s != nullptr && s->started && !s->failed) return s;
  }
  return nullptr;
}

std::size_t PortAudioDevice::period_samples() const {
  return static_cast<std::size_t>(kSampleRate * options_.buffer.count() / 1'000'000);
}

std::optional<AudioDevice::PeriodClock> PortAudioDevice::period_clock() const {
  if (!running_) return std::nullopt;
  const Stream* s = clock_stream();
  if (s == nullptr) return std::nullopt;
  const auto next_end = s->phase.next_end();
  if (!next_end) return std::nullopt;
  return PeriodClock{s->completed(), *next_end};
}

void PortAudioDevice::stop() {
  if (!running_) return;
  running_ = false;
  for (const auto& s : streams_) {
    if (!s->started) continue;
    s->started = false;
    // Abort rather than stop: the last few milliseconds of a hung-up call need not drain.
    s->pa->abort();
  }
}

void PortAudioDevice::service() {
  if (!running_) return;
  const Clock::time_point now = Clock::now();
  for (const auto& s : streams_) {
    watch(*s, now);
    if (s->failed) continue;
    if (const std::size_t dropped = s->pa->service(engine_rings()); dropped > 0) {
      CallbackState& state = s->pa->capture_state();
      state.xruns.fetch_add(1, std::memory_order_relaxed);
      state.xrun_samples.fetch_add(dropped, std::memory_order_relaxed);
    }
  }
  replace_failed_duplex();
  if (Stream* clock = clock_stream()) {
    clock->phase.observe(clock->completed(), Clock::now());
  }
  if (const std::uint64_t seen = disturbances(); seen != disturbances_seen_) {
    disturbances_seen_ = seen;
    std::lock_guard lock(mutex_);
    last_disturbance_s_ = std::chrono::duration<double>(Clock::now() - started_at_).count();
  }
}

std::uint64_t PortAudioDevice::disturbances() const {
  const PortAudioDeviceStats s = stats();
  return s.host_xruns + s.reference_shifts + static_cast<std::uint64_t>(s.duplex_restarts);
}

void PortAudioDevice::watch(Stream& s, Clock::time_point now) {
  if (!s.started || s.failed) return;
  if (s.pa->capture_state().finished.load(std::memory_order_acquire)) {
    fail(s, "its stream ended");
    return;
  }
  if (const auto why = s.pa->inactive()) {
    fail(s, *why);
    return;
  }
  const std::uint64_t callbacks = s.callbacks();
  if (callbacks != s.seen_callbacks) {
    s.seen_callbacks = callbacks;
    s.last_progress = now;
    return;
  }
  // PortAudio primes an output stream with a few callbacks at once, and a sound server may
  // take a while longer to get going: a quiet start only counts after start_grace.
  const auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(now - s.last_progress);
  if (quiet > options_.stall_timeout && now - s.started_at > options_.start_grace) {
    fail(s, "no audio for " + std::to_string(quiet.count()) + " ms", true);
  }
}

void PortAudioDevice::fail(Stream& s, const std::string& why, bool stalled) {
  s.failed = true;
  s.pa->capture_state().enabled.store(false, std::memory_order_relaxed);
  s.pa->playback_state().enabled.store(false, std::memory_order_relaxed);
  if (s.pa->duplex()) {
    s.failure = why;
    s.stalled = stalled;
    return;
  }
  const bool capture = s.pa->input().has_value();
  report(s.pa->label() + (capture ? " (capture)" : " (playback)") + " failed: " + why, capture);
}

void PortAudioDevice::report(const std::string& message, bool capture) {
  std::lock_guard lock(mutex_);
  (capture ? health_.capture_ok : health_.playback_ok) = false;
  health_.problem += (health_.problem.empty() ? "" : "; ") + message;
}

void PortAudioDevice::replace_failed_duplex() {
  if (!input_ || input_ != output_ || !input_->failed) return;
  const DeviceInfo in = *input_->pa->input();
  const DeviceInfo out = *input_->pa->output();
  const std::string why = input_->failure;
  // PortAudio 19.6's ALSA duplex stream ends itself now and then after an xrun: worth a new
  // one. One that fell silent, or keeps ending, means a device is in trouble: two streams
  // then keep whichever direction still works.
  bool again = !input_->stalled && duplex_restarts_ < kMaxDuplexRestarts;
  for (;;) {
    std::vector<std::unique_ptr<Stream>> old;
    {
      std::lock_guard lock(mutex_);
      add_counts(*input_, retired_);
      old.swap(streams_);
      input_ = output_ = nullptr;
    }
    old.clear();  // closed before its devices are opened again
    if (!again) break;
    again = false;
    ++duplex_restarts_;
    auto pa = PortAudioStream::open_duplex(in, out, engine_rings(), options_.buffer);
    if (!pa) break;
    Stream* s = add(std::move(pa));
    begin(*s, Clock::now());
    if (!s->failed) return;
  }
  duplex_abandoned_ = true;
  for (const bool capture : {true, false}) {
    const DeviceInfo& device = capture ? in : out;
    try {
      begin(*add(PortAudioStream::open(device,
                                       capture ? StreamDirection::kInput : StreamDirection::kOutput,
                                       engine_rings(), options_.buffer)),
            Clock::now());
    } catch (const Error& e) {
      report(std::string(capture ? "input" : "output") + " device '" + device.name + "' (" +
                 (capture ? "capture" : "playback") + ") failed: " + why +
                 "; on its own stream: " + e.what(),
             capture);
    }
  }
}

DeviceHealth PortAudioDevice::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

SpscRing<std::int16_t>* PortAudioDevice::played_ring() {
  return input_ && input_ == output_ ? &played_ : nullptr;
}

std::string PortAudioDevice::description() const {
  std::string text = input_ && input_ == output_ ? "PortAudio duplex stream: "
                     : streams_.size() == 2      ? "PortAudio two streams: "
                                                 : "PortAudio one stream: ";
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    const PortAudioStream& s = *streams_[i]->pa;
    text += (i ? ", " : "") + s.label() + " (" + (s.input() ? s.input() : s.output())->host_api +
            ", " + std::to_string(s.rate()) + " Hz" +
            (s.rate() == kSampleRate ? ")" : ", resampled)");
  }
  return text;
}

void PortAudioDevice::add_counts(const Stream& s, PortAudioDeviceStats& out) {
  constexpr auto relaxed = std::memory_order_relaxed;
  if (s.pa->input()) {
    const CallbackState& st = s.pa->capture_state();
    out.capture_callbacks += st.callbacks.load(relaxed);
    out.capture_overruns += st.xruns.load(relaxed);
    out.capture_overrun_samples += st.xrun_samples.load(relaxed);
    out.host_xruns += st.host_xruns.load(relaxed);
  }
  if (s.pa->output()) {
    const CallbackState& st = s.pa->playback_state();
    out.playback_callbacks += st.callbacks.load(relaxed);
    out.playback_underruns += st.xruns.load(relaxed);
    out.playback_underrun_samples += st.xrun_samples.load(relaxed);
    out.host_xruns += st.host_xruns.load(relaxed);
  }
  if (const ReferenceAligner* reference = s.pa->reference()) {
    out.reference_shift_ms = 1000.0 * static_cast<double>(reference->shift()) / s.pa->rate();
    out.reference_shifts += reference->shifts();
  }
}

DeviceCounters PortAudioDevice::counters() const {
  const PortAudioDeviceStats s = stats();
  return {s.playback_underruns, s.capture_overruns, s.host_xruns, s.reference_shifts,
          s.reference_shift_ms};
}

PortAudioDeviceStats PortAudioDevice::stats() const {
  std::lock_guard lock(mutex_);
  PortAudioDeviceStats out = retired_;
  out.duplex = input_ && input_ == output_;
  out.duplex_restarts = duplex_restarts_;
  out.duplex_abandoned = duplex_abandoned_;
  out.last_disturbance_s = last_disturbance_s_;
  for (const auto& s : streams_) add_counts(*s, out);
  if (input_) out.capture_rate = input_->pa->rate();
  if (output_) out.playback_rate = output_->pa->rate();
  return out;
}

}  // namespace hotline::audio
