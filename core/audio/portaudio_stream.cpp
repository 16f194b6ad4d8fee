#include "core/audio/portaudio_stream.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>

#include "core/audio/audio_format.hpp"
#include "core/audio/rate_bridge.hpp"
#include "core/util/error.hpp"

namespace hotline::audio {

struct PortAudioStream::RealTime {
  SpscRing<std::int16_t>* capture = nullptr;  // at the stream's rate; null: not this direction
  SpscRing<std::int16_t>* played = nullptr;   // duplex only
  SpscRing<std::int16_t>* playback = nullptr;
  std::unique_ptr<ReferenceAligner> reference;  // duplex only
  CallbackState capture_state;
  CallbackState playback_state;
};

struct PortAudioStream::Bridges {
  std::unique_ptr<CaptureBridge> capture;       // capture-only stream
  std::unique_ptr<DuplexCaptureBridge> duplex;  // capture and played of a duplex stream
  std::unique_ptr<PlaybackBridge> playback;
};

namespace {

using RealTime = PortAudioStream::RealTime;

std::span<const std::int16_t> samples_in(const void* buffer, unsigned long frames) {
  const auto* samples = static_cast<const std::int16_t*>(buffer);
  return {samples, samples ? frames : 0};
}

std::span<std::int16_t> samples_out(void* buffer, unsigned long frames) {
  auto* samples = static_cast<std::int16_t*>(buffer);
  return {samples, samples ? frames : 0};
}

void count_host_xrun(CallbackState& state) {
  state.host_xruns.fetch_add(1, std::memory_order_relaxed);
}

int capture_thunk(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                  PaStreamCallbackFlags flags, void* user) {
  auto& rt = *static_cast<RealTime*>(user);
  if (flags & paInputOverflow) count_host_xrun(rt.capture_state);
  capture_callback(samples_in(input, frames), *rt.capture, rt.capture_state);
  return paContinue;
}

int playback_thunk(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
                   PaStreamCallbackFlags flags, void* user) {
  auto& rt = *static_cast<RealTime*>(user);
  if (flags & paOutputUnderflow) count_host_xrun(rt.playback_state);
  playback_callback(samples_out(output, frames), *rt.playback, rt.playback_state);
  return paContinue;
}

int duplex_thunk(const void* input, void* output, unsigned long frames,
                 const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags, void* user) {
  auto& rt = *static_cast<RealTime*>(user);
  if (flags & (paInputOverflow | paInputUnderflow)) count_host_xrun(rt.capture_state);
  if (flags & (paOutputUnderflow | paOutputOverflow)) count_host_xrun(rt.playback_state);
  if (time) rt.reference->note_round_trip(time->outputBufferDacTime - time->inputBufferAdcTime);
  duplex_callback(samples_in(input, frames), samples_out(output, frames),
                  {*rt.capture, *rt.played, *rt.playback}, *rt.reference, rt.capture_state,
                  rt.playback_state);
  return paContinue;
}

void finished_thunk(void* user) {
  auto& rt = *static_cast<RealTime*>(user);
  rt.capture_state.finished.store(true, std::memory_order_release);
  rt.playback_state.finished.store(true, std::memory_order_release);
}

std::string pa_error_text(PaError err) {
  std::string text = Pa_GetErrorText(err);
  if (err == paUnanticipatedHostError) {
    const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo();
    if (host && host->errorText && *host->errorText)
      text += std::string(" (") + host->errorText + ")";
  }
  return text;
}

PaStreamParameters mono_int16(int device, double latency) {
  PaStreamParameters params{};
  params.device = device;
  params.channelCount = 1;
  params.sampleFormat = paInt16;
  params.suggestedLatency = latency;
  return params;
}

}  // namespace

PortAudioStream::PortAudioStream() : rt_(std::make_unique<RealTime>()) {}

PortAudioStream::~PortAudioStream() {
  if (pa_) Pa_CloseStream(pa_);  // aborts a running stream first
}

std::unique_ptr<PortAudioStream> PortAudioStream::open(const DeviceInfo& device,
                                                       StreamDirection direction,
                                                       const EngineRings& engine,
                                                       std::chrono::microseconds buffer) {
  const bool input = direction == StreamDirection::kInput;
  std::unique_ptr<PortAudioStream> s(new PortAudioStream());
  (input ? s->in_ : s->out_) = device;
  const PaDeviceInfo* info = Pa_GetDeviceInfo(device.index);
  if (!info) throw Error(s->label() + " has disappeared");
  const PaStreamParameters params = mono_int16(
      device.index, input ? info->defaultLowInputLatency : info->defaultLowOutputLatency);
  const PaStreamParameters* in = input ? &params : nullptr;
  const PaStreamParameters* out = input ? nullptr : &params;

  if (Pa_IsFormatSupported(in, out, kSampleRate) == paFormatIsSupported) {
    s->rate_ = kSampleRate;
  } else {
    s->rate_ = static_cast<int>(std::lround(info->defaultSampleRate));
    if (const PaError err = Pa_IsFormatSupported(in, out, s->rate_); err != paFormatIsSupported) {
      throw Error(s->label() + " supports neither 48000 Hz nor its default " +
                  std::to_string(s->rate_) + " Hz for mono 16-bit audio: " + pa_error_text(err));
    }
  }
  s->attach(engine, buffer);
  const PaError err = Pa_OpenStream(&s->pa_, in, out, s->rate_, s->frames_per_buffer_, paNoFlag,
                                    input ? capture_thunk : playback_thunk, s->rt_.get());
  if (err != paNoError) {
    s->pa_ = nullptr;
    throw Error("cannot open " + s->label() + ": " + pa_error_text(err));
  }
  Pa_SetStreamFinishedCallback(s->pa_, finished_thunk);
  return s;
}

std::unique_ptr<PortAudioStream> PortAudioStream::open_duplex(const DeviceInfo& in,
                                                              const DeviceInfo& out,
                                                              const EngineRings& engine,
                                                              std::chrono::microseconds buffer) {
  const PaDeviceInfo* in_info = Pa_GetDeviceInfo(in.index);
  const PaDeviceInfo* out_info = Pa_GetDeviceInfo(out.index);
  if (!in_info || !out_info) return nullptr;
  const PaStreamParameters in_params = mono_int16(in.index, in_info->defaultLowInputLatency);
  const PaStreamParameters out_params = mono_int16(out.index, out_info->defaultLowOutputLatency);
  std::unique_ptr<PortAudioStream> s(new PortAudioStream());
  s->in_ = in;
  s->out_ = out;
  for (const double rate :
       {double{kSampleRate}, in_info->defaultSampleRate, out_info->defaultSampleRate}) {
    const int whole = static_cast<int>(std::lround(rate));
    if (Pa_IsFormatSupported(&in_params, &out_params, whole) == paFormatIsSupported) {
      s->rate_ = whole;
      break;
    }
  }
  if (s->rate_ == 0) return nullptr;
  s->attach(engine, buffer);
  s->rt_->reference = std::make_unique<ReferenceAligner>(s->rate_);
  if (Pa_OpenStream(&s->pa_, &in_params, &out_params, s->rate_, s->frames_per_buffer_, paNoFlag,
                    duplex_thunk, s->rt_.get()) != paNoError) {
    s->pa_ = nullptr;
    return nullptr;
  }
  Pa_SetStreamFinishedCallback(s->pa_, finished_thunk);
  return s;
}

void PortAudioStream::attach(const EngineRings& engine, std::chrono::microseconds buffer) {
  frames_per_buffer_ =
      static_cast<unsigned long>(std::max<std::int64_t>(16, rate_ * buffer.count() / 1'000'000));
  RealTime& rt = *rt_;
  if (rate_ == kSampleRate) {
    if (in_) rt.capture = &engine.capture;
    if (duplex()) rt.played = &engine.played;
    if (out_) rt.playback = &engine.playback;
    return;
  }
  bridges_ = std::make_unique<Bridges>();
  const auto rate = static_cast<std::uint32_t>(rate_);
  if (duplex()) {
    // Capture and its reference go through twin resamplers, so they still arrive in step.
    bridges_->duplex = std::make_unique<DuplexCaptureBridge>(rate);
    rt.capture = &bridges_->duplex->capture_ring();
    rt.played = &bridges_->duplex->played_ring();
  } else if (in_) {
    bridges_->capture = std::make_unique<CaptureBridge>(rate);
    rt.capture = &bridges_->capture->device_ring();
  }
  if (out_) {
    // Enough for the callbacks between two service() calls (at most 10 ms apart), plus one.
    const auto target = frames_per_buffer_ + rate / 100;
    bridges_->playback = std::make_unique<PlaybackBridge>(rate, target);
    rt.playback = &bridges_->playback->device_ring();
  }
}

std::string PortAudioStream::label() const {
  std::string text = in_ ? "input device '" + in_->name + "'" : "";
  if (out_) text += (in_ ? " and output device '" : "output device '") + out_->name + "'";
  return text;
}

std::optional<std::string> PortAudioStream::start() {
  capture_state().finished.store(false, std::memory_order_relaxed);
  playback_state().finished.store(false, std::memory_order_relaxed);
  if (const PaError err = Pa_StartStream(pa_); err != paNoError) return pa_error_text(err);
  return std::nullopt;
}

void PortAudioStream::abort() {
  Pa_AbortStream(pa_);
}

std::optional<std::string> PortAudioStream::inactive() const {
  const PaError active = Pa_IsStreamActive(pa_);
  if (active == 1) return std::nullopt;
  return active < 0 ? pa_error_text(active) : "its stream stopped";
}

std::size_t PortAudioStream::service(const EngineRings& engine) {
  if (!bridges_) return 0;
  std::size_t dropped = 0;
  if (bridges_->capture) dropped = bridges_->capture->service(engine.capture);
  if (bridges_->duplex) dropped = bridges_->duplex->service(engine.capture, engine.played);
  if (bridges_->playback) bridges_->playback->service(engine.playback);
  return dropped;
}

CallbackState& PortAudioStream::capture_state() {
  return rt_->capture_state;
}
CallbackState& PortAudioStream::playback_state() {
  return rt_->playback_state;
}
const CallbackState& PortAudioStream::capture_state() const {
  return rt_->capture_state;
}
const CallbackState& PortAudioStream::playback_state() const {
  return rt_->playback_state;
}
const ReferenceAligner* PortAudioStream::reference() const {
  return rt_->reference.get();
}

}  // namespace hotline::audio
