#pragma once
// Local voice-processing choices of a console. They never travel on the wire: each side
// decides for itself what its microphone path does.

namespace hotline::audio {

struct VoiceOptions {
  bool echo_cancellation = true;  // speexdsp AEC on the microphone path (--no-aec turns off)
  bool noise_suppression = true;  // speexdsp denoiser, also suppresses residual echo
  bool agc = false;               // automatic gain control on the microphone (--agc)
  bool tones = true;              // locally generated ringback (caller) and ring (callee)
  // Opus encoder complexity, 0 (cheapest) .. 10; the console uses 9 (docs/performance.md).
  int encoder_complexity = 9;
};

}  // namespace hotline::audio
