#pragma once
// Delays that stages of the voice path add by their algorithm alone, whatever the timing of
// the threads: a chirp is pushed through the stage offline, frame by frame as the engine does,
// and found again in the output. They explain the end-to-end figure next to the framing,
// the engine tick and the playout delay the receiver reports.

namespace hotline::bench {

struct StageDelay {
  double delay_ms = 0;
  double correlation = 0;  // how well the chirp survived the stage
};

// Opus encoder + decoder as the console configures them.
StageDelay codec_delay(int frame_ms, int bitrate);
// The playout resampler at rate adjust 0 (its filter holds back a few samples each call).
StageDelay playout_resampler_delay(int frame_ms);
// Microphone processing with the console defaults (echo canceller with a silent far end,
// then the noise suppressor).
StageDelay voice_processing_delay(int frame_ms);

}  // namespace hotline::bench
