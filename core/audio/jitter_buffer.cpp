#include "core/audio/jitter_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/util/error.hpp"

namespace hotline::audio {
namespace {

// Packets this far behind the playout position, arriving in sequence this many times in a
// row, mean the sender's counter restarted rather than that the network is that slow.
constexpr std::size_t kRestartConfirmations = 3;

std::size_t round_up_pow2(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

JitterBuffer::JitterBuffer(std::size_t target_depth)
    : JitterBuffer(JitterBufferConfig{.target_depth = target_depth}) {}

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : config_(config), mask_(round_up_pow2(std::max<std::size_t>(config.slots, 2)) - 1) {
  config_.slots = mask_ + 1;
  slots_.resize(config_.slots);
  storage_.resize(config_.slots * wire::kMaxOpusPayload);
  set_target_depth(config.target_depth);
  if (config_.rebuffer_after_missing == 0) throw Error("rebuffer_after_missing must be >= 1");
}

void JitterBuffer::set_target_depth(std::size_t frames) {
  if (frames < 1 || frames >= config_.slots) {
    throw Error("jitter buffer target depth must be 1.." + std::to_string(config_.slots - 1) +
                " frames");
  }
  config_.target_depth = frames;
}

InsertResult JitterBuffer::insert(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival) {
  ++stats_.received;
  if (payload.empty() || payload.size() > wire::kMaxOpusPayload) {
    ++stats_.invalid;
    return InsertResult::kInvalid;
  }

  if (anchored_ && seq < next_seq_) {
    if (next_seq_ - seq > config_.slots && counter_restarted(seq)) {
      clear_slots();
      ++stats_.resyncs;
      store(seq, payload, arrival);
      return InsertResult::kResynced;
    }
    const Slot& s = slot(seq);
    if (s.seq == seq && s.state != SlotState::kEmpty) {
      ++stats_.duplicates;
      return InsertResult::kDuplicate;
    }
    ++stats_.late;
    return InsertResult::kLate;
  }
  far_behind_count_ = 0;

  if (!anchored_ && stored_ > 0 && seq < lowest_ && highest_ - seq >= config_.slots) {
    ++stats_.late;  // far older than the first packets of the stream
    return InsertResult::kLate;
  }
  const std::uint64_t window_start =
      anchored_ ? next_seq_ : (stored_ > 0 ? std::min(lowest_, seq) : seq);
  if (seq - window_start >= config_.slots) {
    // Too far ahead to fit: our playout position is meaningless now (long outage, sender
    // jump). Start over from this packet.
    clear_slots();
    ++stats_.resyncs;
    store(seq, payload, arrival);
    return InsertResult::kResynced;
  }
  if (holds(seq)) {
    ++stats_.duplicates;
    return InsertResult::kDuplicate;
  }
  store(seq, payload, arrival);
  return InsertResult::kStored;
}

bool JitterBuffer::counter_restarted(std::uint64_t seq) {
  const bool continues =
      far_behind_count_ > 0 && seq > far_behind_last_ && seq - far_behind_last_ < config_.slots;
  far_behind_count_ = continues ? far_behind_count_ + 1 : 1;
  far_behind_last_ = seq;
  return far_behind_count_ >= kRestartConfirmations;
}

void JitterBuffer::clear_slots() {
  for (Slot& s : slots_) s.state = SlotState::kEmpty;
  mode_ = Mode::kBuffering;
  anchored_ = false;
  stored_ = 0;
  underrun_streak_ = 0;
  far_behind_count_ = 0;
}

void JitterBuffer::store(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival) {
  Slot& s = slot(seq);
  s.seq = seq;
  s.state = SlotState::kStored;
  s.size = static_cast<std::uint16_t>(payload.size());
  s.arrival = arrival;
  std::memcpy(slot_bytes(seq), payload.data(), payload.size());
  if (stored_ == 0) {
    lowest_ = highest_ = seq;
  } else {
    lowest_ = std::min(lowest_, seq);
    highest_ = std::max(highest_, seq);
  }
  ++stored_;
}

Playout JitterBuffer::take(std::uint64_t slot_seq, PlayoutKind kind, std::uint64_t seq) {
  const Slot& s = slot(slot_seq);
  std::memcpy(out_.data(), slot_bytes(slot_seq), s.size);
  return Playout{kind, seq, ByteSpan(out_.data(), s.size), s.arrival};
}

Playout JitterBuffer::play(std::uint64_t seq, Clock::time_point now) {
  Slot& s = slot(seq);
  s.state = SlotState::kPlayed;  // keeps seq so a later copy counts as a duplicate
  --stored_;
  next_seq_ = seq + 1;
  underrun_streak_ = 0;
  ++stats_.played;
  delay_sum_ms_ += std::chrono::duration<double, std::milli>(now - s.arrival).count();
  return take(seq, PlayoutKind::kFrame, seq);
}

Playout JitterBuffer::pop(Clock::time_point now) {
  if (mode_ == Mode::kBuffering) {
    if (stored_ == 0 || highest_ - lowest_ + 1 < config_.target_depth) return Playout{};
    mode_ = Mode::kPlaying;
    // Frames between the old playout position and the resumed stream never came.
    if (anchored_ && lowest_ > next_seq_) stats_.lost += lowest_ - next_seq_;
    anchored_ = true;
    next_seq_ = lowest_;
    underrun_streak_ = 0;
  }

  std::uint64_t seq = next_seq_;
  if (holds(seq)) return play(seq, now);
  if (stored_ == 0) {
    // Nothing to play: the stream is late or paused. Waiting instead of skipping keeps every
    // frame that is merely delayed, and raises the delay by exactly what the network took.
    ++stats_.underruns;
    if (++underrun_streak_ >= config_.rebuffer_after_missing) mode_ = Mode::kBuffering;
    return Playout{PlayoutKind::kUnderrun, seq, {}};
  }
  if (underrun_streak_ > 0) {
    // Frames came again after `underrun_streak_` concealed pops; the one due now at the old
    // delay is seq + streak. Frames up to it are played late (the delay grew by the wait);
    // if the first to come is newer, the ones before were lost and playout keeps its delay.
    const std::uint64_t due = seq + underrun_streak_;
    std::uint64_t first = seq + 1;
    while (first < highest_ && !holds(first)) ++first;  // stored_ > 0: one lies ahead
    if (first <= due) {
      stats_.lost += first - seq;
      return play(first, now);
    }
    stats_.lost += due - seq;
    seq = due;
    underrun_streak_ = 0;
  }
  next_seq_ = seq + 1;
  ++stats_.lost;
  if (holds(seq + 1)) return take(seq + 1, PlayoutKind::kFecFromNext, seq);
  return Playout{PlayoutKind::kMissing, seq, {}};
}

void JitterBuffer::reset() {
  clear_slots();
}

JitterBufferStats JitterBuffer::stats() const {
  JitterBufferStats s = stats_;
  s.current_depth = stored_;
  s.mean_delay_ms = stats_.played > 0 ? delay_sum_ms_ / static_cast<double>(stats_.played) : 0.0;
  return s;
}

}  // namespace hotline::audio
