// The live device's parts that need no sound card: the real-time callback bodies (one-way
// and duplex), the rate bridges service() runs for a device that is not at 48 kHz,
// device-name matching, and the constructor's refusal of a device that does not exist.

#include "core/audio/portaudio_device.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include "core/audio/rate_bridge.hpp"
#include "core/util/error.hpp"
#include "tests/core/audio/allocation_counter.hpp"
#include "tests/support/leak_check_pause.hpp"
#include "tests/support/signal_compare.hpp"

using namespace hotline;
using namespace hotline::audio;
using Catch::Matchers::ContainsSubstring;

namespace {

std::vector<std::int16_t> tone(double hz, int rate, std::size_t n, double amplitude = 16000.0) {
  std::vector<std::int16_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::int16_t>(std::lrint(
        amplitude * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate)));
  }
  return out;
}

// Frequency from the mean spacing of rising zero crossings (sub-sample by interpolation).
double frequency_of(std::span<const std::int16_t> s, int rate) {
  double first = -1.0, last = -1.0;
  int rises = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i - 1] < 0 && s[i] >= 0) {
      const double at = static_cast<double>(i - 1) +
                        static_cast<double>(-s[i - 1]) / static_cast<double>(s[i] - s[i - 1]);
      if (first < 0) first = at;
      last = at;
      ++rises;
    }
  }
  if (rises < 2) return 0.0;
  return (rises - 1) * static_cast<double>(rate) / (last - first);
}

DeviceInfo device(int index, std::string name, int in, int out) {
  return {.index = index,
          .host_api = "ALSA",
          .name = std::move(name),
          .max_input_channels = in,
          .max_output_channels = out,
          .default_sample_rate = 48000.0};
}

}  // namespace

TEST_CASE("capture callback writes in order and counts what does not fit") {
  SpscRing<std::int16_t> ring(1024);
  CallbackState state;
  std::vector<std::int16_t> block(240);
  std::vector<std::int16_t> drained(1024);
  std::int16_t next = 0;
  std::int16_t expected = 0;
  for (int k = 0; k < 100; ++k) {  // 24000 samples through a 1024-sample ring: wraps often
    for (auto& s : block) s = next++;
    capture_callback(block, ring, state);
    const std::size_t n = ring.read(std::span(drained).first(240));
    for (std::size_t i = 0; i < n; ++i) REQUIRE(drained[i] == expected++);
  }
  CHECK(state.callbacks == 100);
  CHECK(state.completed == 100);  // what the engine's period clock counts
  CHECK(state.samples == 24000);
  CHECK(state.xruns == 0);

  // Nobody reads: the fifth block only partly fits.
  for (int k = 0; k < 5; ++k) capture_callback(block, ring, state);
  CHECK(ring.available_read() == 1024);
  CHECK(state.xruns == 1);
  CHECK(state.xrun_samples == 5 * 240 - 1024);

  // A failed direction writes nothing more.
  ring.discard(1024);
  state.enabled = false;
  const auto completed = state.completed.load();
  capture_callback(block, ring, state);
  CHECK(ring.available_read() == 0);
  CHECK(state.completed == completed + 1);  // still a period, for the engine's clock
}

TEST_CASE("playback callback reads in order and fills an underrun with silence") {
  SpscRing<std::int16_t> ring(1024);
  CallbackState state;
  std::vector<std::int16_t> queued(300);
  for (std::size_t i = 0; i < queued.size(); ++i) queued[i] = static_cast<std::int16_t>(i + 1);
  REQUIRE(ring.write(queued) == 300);
  std::vector<std::int16_t> out(240, 99);
  playback_callback(out, ring, state);
  CHECK(std::equal(out.begin(), out.end(), queued.begin()));
  playback_callback(out, ring, state);
  CHECK(out[0] == 241);
  CHECK(out[59] == 300);
  CHECK(std::all_of(out.begin() + 60, out.end(), [](std::int16_t s) { return s == 0; }));
  CHECK(state.xruns == 1);
  CHECK(state.xrun_samples == 180);

  REQUIRE(ring.write(queued) == 300);
  state.enabled = false;  // failed: silence, and the ring is left alone
  playback_callback(out, ring, state);
  CHECK(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 0; }));
  CHECK(ring.available_read() == 300);
}

TEST_CASE("the real-time callbacks and the rate bridges never allocate") {
  SpscRing<std::int16_t> capture(kDeviceRingSamples);
  SpscRing<std::int16_t> playback(kDeviceRingSamples);
  CallbackState cap_state, play_state;
  CaptureBridge cap_bridge(44100);
  PlaybackBridge play_bridge(44100, 661);
  CallbackState bridged_cap_state, bridged_play_state;
  const std::vector<std::int16_t> input = test::speech_like(48000, 5);
  std::vector<std::int16_t> hw(240);
  std::vector<std::int16_t> engine(960);

  const std::size_t before = test::allocation_count();
  std::size_t offset = 0;
  for (int k = 0; k < 5000; ++k) {
    const auto block = std::span(input).subspan(offset, 240);
    offset = (offset + 240) % (input.size() - 240);
    // 48 kHz device; the engine reads and writes in uneven amounts so the rings wrap, and
    // now and then stalls (overrun) or falls silent (underrun).
    capture_callback(block, capture, cap_state);
    if (k % 50 < 40) capture.read(std::span(engine).first(k % 2 ? 200 : 280));
    playback_callback(hw, playback, play_state);
    if (k % 50 < 30) playback.write(std::span(input).subspan(offset, k % 2 ? 200 : 280));

    // 44.1 kHz device: callbacks at the device rate, resampling in service().
    capture_callback(block.first(220), cap_bridge.device_ring(), bridged_cap_state);
    cap_bridge.service(capture);
    playback.write(block.first(k % 3 ? 240 : 200));
    play_bridge.service(playback);
    playback_callback(std::span(hw).first(220), play_bridge.device_ring(), bridged_play_state);
  }
  const std::size_t during = test::allocation_count() - before;
  const auto probe = std::make_unique<int>(1);  // the counter does see allocations

  CHECK(during == 0);
  CHECK(test::allocation_count() > before);
  CHECK(cap_state.callbacks == 5000);
  CHECK(cap_state.xruns > 0);   // the stalls overflowed the capture ring
  CHECK(play_state.xruns > 0);  // the silences ran the playback ring dry
  CHECK(bridged_play_state.callbacks == 5000);
}

TEST_CASE("a 44.1 kHz capture device delivers 48 kHz and keeps the pitch") {
  CaptureBridge bridge(44100);
  SpscRing<std::int16_t> engine(kDeviceRingSamples);
  CallbackState state;
  const std::vector<std::int16_t> in = tone(1000.0, 44100, 44100);  // one second
  std::vector<std::int16_t> out;
  std::vector<std::int16_t> piece(4096);
  for (std::size_t pos = 0; pos < in.size(); pos += 220) {  // 5 ms callbacks
    const std::size_t n = std::min<std::size_t>(220, in.size() - pos);
    capture_callback(std::span(in).subspan(pos, n), bridge.device_ring(), state);
    if ((pos / 220) % 2 == 1) {  // the engine services every 10 ms
      CHECK(bridge.service(engine) == 0);
      out.insert(out.end(), piece.begin(), piece.begin() + engine.read(piece));
    }
  }
  bridge.service(engine);
  out.insert(out.end(), piece.begin(), piece.begin() + engine.read(piece));

  // One second in is one second out, less the resampler's filter delay (a millisecond).
  CHECK(out.size() <= 48000);
  CHECK(out.size() >= 48000 - 96);
  const auto steady = std::span<const std::int16_t>(out).subspan(480);
  CHECK(std::abs(frequency_of(steady, 48000) - 1000.0) < 0.5);
  CHECK(std::abs(test::rms_dbfs(steady) - test::rms_dbfs(in)) < 0.2);
}

TEST_CASE("a 44.1 kHz playback device plays 48 kHz audio at its own rate and queues little") {
  const std::size_t target = 220 + 441;  // one callback plus 10 ms, as the device sets it
  PlaybackBridge bridge(44100, target);
  SpscRing<std::int16_t> engine(kDeviceRingSamples);
  CallbackState state;
  const std::vector<std::int16_t> in = tone(1000.0, 48000, 48000);
  std::vector<std::int16_t> out;
  std::vector<std::int16_t> hw(220);
  std::size_t fed = 0;
  while (out.size() < 44100 - 220) {
    // The engine keeps its ring at 30 ms at most, as the media session does.
    while (fed < in.size() && engine.available_read() < 1440) {
      fed += engine.write(std::span(in).subspan(fed, std::min<std::size_t>(480, in.size() - fed)));
    }
    bridge.service(engine);
    CHECK(bridge.device_ring().available_read() <= target + 600);
    for (int k = 0; k < 2; ++k) {  // two callbacks per 10 ms service
      playback_callback(hw, bridge.device_ring(), state);
      out.insert(out.end(), hw.begin(), hw.end());
    }
  }
  CHECK(state.xruns == 0);
  const auto steady = std::span<const std::int16_t>(out).subspan(441);
  CHECK(std::abs(frequency_of(steady, 44100) - 1000.0) < 0.5);
  CHECK(std::abs(test::rms_dbfs(steady) - test::rms_dbfs(in)) < 0.2);
}

TEST_CASE("duplex callback keeps captured and played in step through wrap, underrun, overrun") {
  SpscRing<std::int16_t> capture(1024), played(1024), playback(1024);
  const DuplexRings rings{capture, played, playback};
  ReferenceAligner reference(48000);  // told no round trip: the reference is the output
  CallbackState cap_state, play_state;
  // Input sample n carries n (mod 2^16), so a captured value says which callback position it
  // came from; `heard[n]` is what the loudspeaker was given at that position.
  std::vector<std::int16_t> heard;
  std::vector<std::int16_t> in(240), out(240), far(280), mic(280), ref(280);
  std::uint16_t next_in = 0;
  std::int16_t next_far = 1;
  std::size_t pairs = 0, silent_pairs = 0, sounding_pairs = 0, gaps = 0;
  std::uint16_t last_value = 0;
  std::size_t position = 0;
  for (int k = 0; k < 300; ++k) {  // 72000 samples through 1024-sample rings
    if (k % 20 < 12) {  // the engine supplies the loudspeaker, then falls silent for a while
      for (auto& s : far) s = next_far = static_cast<std::int16_t>(next_far % 30000 + 1);
      playback.write(std::span(far).first(k % 2 ? 200 : 280));
    }
    for (auto& s : in) s = static_cast<std::int16_t>(next_in++);
    duplex_callback(in, out, rings, reference, cap_state, play_state);
    heard.insert(heard.end(), out.begin(), out.end());
    if (k % 50 >= 40) continue;  // the engine stalls: the rings overflow
    if (k % 50 >= 25) {          // the engine reads capture alone: `played` fills up
      capture.read(mic);
      continue;
    }
    // The engine brings both rings to equal read totals and reads them by equal amounts, as
    // MediaSession does; the pairs must then match whatever was dropped before.
    if (capture.total_read() < played.total_read()) {
      capture.discard(played.total_read() - capture.total_read());
    } else {
      played.discard(capture.total_read() - played.total_read());
    }
    REQUIRE(capture.available_read() == played.available_read());
    const std::size_t n = capture.read(std::span(mic).first(k % 3 ? 200 : 280));
    REQUIRE(played.read(std::span(ref).first(n)) == n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto value = static_cast<std::uint16_t>(mic[i]);
      const auto step = static_cast<std::uint16_t>(value - last_value);
      position = pairs == 0 ? value : position + step;
      if (pairs > 0 && step != 1) ++gaps;
      last_value = value;
      REQUIRE(position < heard.size());
      REQUIRE(ref[i] == heard[position]);
      ++(ref[i] == 0 ? silent_pairs : sounding_pairs);
      ++pairs;
    }
  }
  CHECK(pairs > 30000);
  CHECK(sounding_pairs > 15000);
  CHECK(silent_pairs > 5000);  // underruns: zeros played, and zeros in `played`
  CHECK(play_state.xruns > 0);
  CHECK(cap_state.xruns > 0);  // overruns: dropped from both rings alike
  CHECK(gaps >= 5);            // one per stall and solo-read phase, yet the pairs all match
  CHECK(cap_state.callbacks == 300);
  CHECK(cap_state.completed == 300);
  CHECK(play_state.callbacks == 300);

  // A failed stream: silence out, nothing more in either ring.
  cap_state.enabled = play_state.enabled = false;
  capture.discard(capture.available_read());
  played.discard(played.available_read());
  playback.write(far);
  duplex_callback(in, out, rings, reference, cap_state, play_state);
  CHECK(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 0; }));
  CHECK(capture.available_read() == 0);
  CHECK(played.available_read() == 0);
}

TEST_CASE("a 44.1 kHz duplex device delivers capture and played in step at 48 kHz") {
  DuplexCaptureBridge bridge(44100);
  SpscRing<std::int16_t> playback(kDeviceRingSamples);
  SpscRing<std::int16_t> capture(2048), played(2048);  // small, so stalls overflow them
  const DuplexRings rings{bridge.capture_ring(), bridge.played_ring(), playback};
  ReferenceAligner reference(44100);
  CallbackState cap_state, play_state;
  // The microphone hears exactly what the loudspeaker plays: the two 48 kHz outputs must then
  // be identical sample for sample, wherever the engine stalled.
  const std::vector<std::int16_t> signal = tone(700.0, 44100, 44100);
  std::vector<std::int16_t> out(220), mic(960), ref(960), heard;
  std::size_t dropped = 0;
  for (std::size_t k = 0; k * 220 + 220 <= signal.size(); ++k) {
    const auto block = std::span(signal).subspan(k * 220, 220);
    playback.write(block);
    duplex_callback(block, out, rings, reference, cap_state, play_state);
    if (k % 2 == 0) continue;  // the engine services every 10 ms
    dropped += bridge.service(capture, played);
    CHECK(capture.available_read() == played.available_read());
    if (k % 40 >= 30) continue;  // the engine stalls
    const std::size_t n = capture.read(mic);
    REQUIRE(played.read(std::span(ref).first(n)) == n);
    REQUIRE(std::equal(mic.begin(), mic.begin() + static_cast<std::ptrdiff_t>(n), ref.begin()));
    heard.insert(heard.end(), mic.begin(), mic.begin() + static_cast<std::ptrdiff_t>(n));
  }
  CHECK(play_state.xruns == 0);
  CHECK(dropped > 0);
  CHECK(heard.size() > 30000);
  CHECK(capture.total_read() == played.total_read());
  // Resampled, not mangled: the tone before the first stall.
  CHECK(std::abs(frequency_of(std::span(heard).subspan(480, 4800), 48000) - 700.0) < 0.5);
}

TEST_CASE("the duplex callback and its rate bridge never allocate") {
  SpscRing<std::int16_t> capture(kDeviceRingSamples), played(kDeviceRingSamples),
      playback(kDeviceRingSamples);
  DuplexCaptureBridge bridge(44100);
  SpscRing<std::int16_t> bridged_playback(kDeviceRingSamples);
  const DuplexRings rings{capture, played, playback};
  const DuplexRings bridged{bridge.capture_ring(), bridge.played_ring(), bridged_playback};
  ReferenceAligner reference(48000), bridged_reference(44100);
  CallbackState cap_state, play_state, bridged_cap, bridged_play;
  const std::vector<std::int16_t> input = test::speech_like(48000, 7);
  std::vector<std::int16_t> hw(240), engine(960);

  const std::size_t before = test::allocation_count();
  std::size_t offset = 0;
  for (int k = 0; k < 5000; ++k) {
    const auto block = std::span(input).subspan(offset, 240);
    offset = (offset + 240) % (input.size() - 240);
    // 48 kHz: uneven engine reads wrap the rings; stalls overflow them, silences underrun.
    if (k % 50 < 30) playback.write(std::span(input).subspan(offset, k % 2 ? 200 : 280));
    // A round trip that steps now and then, so the reference shifts too.
    reference.note_round_trip(0.020 + 0.010 * ((k / 300) % 3));
    duplex_callback(block, hw, rings, reference, cap_state, play_state);
    if (k % 50 < 40) {
      const std::size_t n = capture.read(std::span(engine).first(k % 2 ? 200 : 280));
      played.discard(n);
    }
    // 44.1 kHz: callbacks at the device rate, resampling in service().
    bridged_playback.write(block.first(220));
    bridged_reference.note_round_trip(0.020 + 0.010 * ((k / 300) % 3));
    duplex_callback(block.first(220), std::span(hw).first(220), bridged, bridged_reference,
                    bridged_cap, bridged_play);
    bridge.service(capture, played);
  }
  const std::size_t during = test::allocation_count() - before;
  const auto probe = std::make_unique<int>(1);  // the counter does see allocations

  CHECK(during == 0);
  CHECK(test::allocation_count() > before);
  CHECK(cap_state.xruns > 0);
  CHECK(play_state.xruns > 0);
  CHECK(bridged_cap.callbacks == 5000);
  CHECK(reference.shifts() > 10);
  CHECK(bridged_reference.shifts() > 10);
}

TEST_CASE("device names match exactly or else by a unique part ignoring case") {
  std::vector<DeviceInfo> devices = {device(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", 2, 2),
                                     device(1, "HDA Intel PCH: HDMI 0 (hw:0,3)", 0, 8),
                                     device(2, "pulse", 32, 32), device(3, "default", 32, 32)};
  devices[3].is_default_input = devices[3].is_default_output = true;
  const auto in = StreamDirection::kInput;
  const auto out = StreamDirection::kOutput;

  CHECK(select_device(devices, "default", in).index == 3);
  CHECK(select_device(devices, "", out).index == 3);
  CHECK(select_device(devices, "pulse", in).index == 2);
  CHECK(select_device(devices, "alc257", in).index == 0);
  CHECK(select_device(devices, "hdmi", out).index == 1);
  CHECK_THROWS_WITH(
      select_device(devices, "hdmi", in),
      ContainsSubstring("no input device named 'hdmi'") && ContainsSubstring("'pulse'"));
  CHECK_THROWS_WITH(select_device(devices, "hda intel", out),
                    ContainsSubstring("matches several output devices"));
  CHECK_THROWS_WITH(select_device({}, "default", in),
                    ContainsSubstring("no default input") && !ContainsSubstring("hotline "));
  CHECK_THROWS_WITH(select_device({}, "usb", out), ContainsSubstring("there are no output"));
}

TEST_CASE("a PortAudio device that does not exist is refused up front by name") {
  // ALSA's plugins are unloaded with memory still allocated (see leak_check_pause.hpp).
  [[maybe_unused]] const test::LeakCheckPause third_party_leaks;
  CHECK_THROWS_WITH(PortAudioDevice({.input = "hotline-no-such-mic", .output = std::nullopt}),
                    ContainsSubstring("no input device named 'hotline-no-such-mic'"));
  CHECK_THROWS_WITH(PortAudioDevice({.input = std::nullopt, .output = "hotline-no-such-speaker"}),
                    ContainsSubstring("no output device named 'hotline-no-such-speaker'"));
  CHECK_THROWS_AS(PortAudioDevice({.input = std::nullopt, .output = std::nullopt}), Error);
  // PortAudio stays usable after the failed attempts (the library is reference counted).
  const PortAudioLibrary library;
  CHECK_NOTHROW(list_devices(library));
}
