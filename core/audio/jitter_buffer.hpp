#pragma once
// Receive-side jitter buffer for Opus frames, one frame per 64-bit transport sequence number.
// It orders frames and says, each time playout needs one, what to play; how much delay to
// keep is decided by the playout layer above it (VoicePlayout), which sets the depth used to
// (re)start playout. When nothing at all is buffered, pop() reports an underrun without
// using up a sequence number: the caller conceals and the stream's delay grows by a frame,
// which is how the buffer grows quickly on a delay spike. Packets are copied into a pool of
// fixed-size slots preallocated at construction: insert() and pop() never allocate.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/util/bytes.hpp"
#include "core/wire/wire.hpp"

namespace hotline::audio {

struct JitterBufferConfig {
  std::size_t target_depth = 2;  // frames held before playout (re)starts; 1..slots-1
  std::size_t slots = 64;        // rounded up to a power of two; furthest a packet may lead
  // Consecutive underruns after which playout stops and buffers afresh, so a resumed stream
  // starts at the target depth instead of wherever it lands.
  std::size_t rebuffer_after_missing = 25;
};

enum class PlayoutKind {
  kFrame,        // payload is the frame's packet: decode it
  kFecFromNext,  // frame lost, payload is the next frame's packet: its FEC data may help
  kMissing,      // frame lost, nothing after it to help: conceal
  kUnderrun,     // nothing buffered: conceal a frame without using up a sequence number
  kNotStarted,   // buffering: play nothing (silence)
};

struct Playout {
  PlayoutKind kind = PlayoutKind::kNotStarted;
  std::uint64_t seq = 0;  // the frame this pop stands for (0 for kNotStarted)
  ByteSpan payload;       // valid until the next pop() or reset()
  std::chrono::steady_clock::time_point arrival{};  // of the packet in payload
};

enum class InsertResult { kStored, kDuplicate, kLate, kInvalid, kResynced };

struct JitterBufferStats {
  std::uint64_t received = 0;     // every insert() call
  std::uint64_t late = 0;         // arrived after its frame was played or skipped
  std::uint64_t duplicates = 0;   // same sequence number already buffered or played
  std::uint64_t invalid = 0;      // empty or larger than wire::kMaxOpusPayload
  std::uint64_t played = 0;       // kFrame pops
  std::uint64_t lost = 0;         // frames never received in time: kFecFromNext, kMissing, skipped
  std::uint64_t underruns = 0;    // kUnderrun pops
  std::uint64_t resyncs = 0;      // jumps to a sequence far outside the window
  std::size_t current_depth = 0;  // frames buffered and not yet played
  double mean_delay_ms = 0.0;     // arrival -> playout, over kFrame pops
};

class JitterBuffer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit JitterBuffer(std::size_t target_depth = 2);
  explicit JitterBuffer(const JitterBufferConfig& config);

  InsertResult insert(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival);
  // Call once per frame period.
  Playout pop(Clock::time_point now);

  void reset();  // forget all frames and the sequence position; statistics are kept
  void set_target_depth(std::size_t frames);
  std::size_t target_depth() const { return config_.target_depth; }
  bool playing() const { return mode_ == Mode::kPlaying; }
  JitterBufferStats stats() const;

 private:
  enum class SlotState : std::uint8_t { kEmpty, kStored, kPlayed };
  struct Slot {
    std::uint64_t seq = 0;
    SlotState state = SlotState::kEmpty;
    std::uint16_t size = 0;
    Clock::time_point arrival{};
  };
  enum class Mode { kBuffering, kPlaying };

  Slot& slot(std::uint64_t seq) { return slots_[seq & mask_]; }
  std::uint8_t* slot_bytes(std::uint64_t seq) {
    return storage_.data() + (seq & mask_) * wire::kMaxOpusPayload;
  }
  bool holds(std::uint64_t seq) {
    const Slot& s = slot(seq);
    return s.state == SlotState::kStored && s.seq == seq;
  }
  void store(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival);
  Playout take(std::uint64_t slot_seq, PlayoutKind kind, std::uint64_t seq);
  Playout play(std::uint64_t seq, Clock::time_point now);
  bool counter_restarted(std::uint64_t seq);
  void clear_slots();

  JitterBufferConfig config_;
  std::size_t mask_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> storage_;
  std::array<std::uint8_t, wire::kMaxOpusPayload> out_{};

  Mode mode_ = Mode::kBuffering;
  bool anchored_ = false;       // next_seq_ is meaningful
  std::uint64_t next_seq_ = 0;  // playing: next frame to play; buffering: oldest acceptable
  std::uint64_t lowest_ = 0;    // range of stored frames while buffering (valid when stored_ > 0)
  std::uint64_t highest_ = 0;
  std::size_t stored_ = 0;
  std::size_t underrun_streak_ = 0;
  std::size_t far_behind_count_ = 0;
  std::uint64_t far_behind_last_ = 0;

  JitterBufferStats stats_;
  double delay_sum_ms_ = 0.0;
};

}  // namespace hotline::audio
