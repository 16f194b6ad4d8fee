#pragma once
// Soft real-time scheduling for the threads that keep audio flowing: the engine thread
// (encode, playout, sockets, timers) and the virtual sound cards. A stall of a few
// milliseconds there is an audible gap, and on a busy machine ordinary threads stall that
// long. The request is modest (SCHED_FIFO at a low priority, below the sound server's) and may
// be refused (no CAP_SYS_NICE, RLIMIT_RTPRIO 0); then the thread runs as before.
//
// Opt-in (HOTLINE_REALTIME=1) for now: the threads PortAudio creates from the engine thread
// inherit the policy, and with a PulseAudio source suspended mid-call the ALSA plugin's thread
// then spun at real-time priority and starved the sound server (tests/audio/pulse_call_test.sh
// hung). Default-on needs PortAudio's streams opened from a thread of ordinary priority.

namespace hotline {

// For the calling thread, when HOTLINE_REALTIME=1. True when the kernel granted it.
bool request_realtime_priority();

// Names the calling thread (at most 15 characters, longer is cut) so that top, perf and
// /proc/PID/task/*/comm tell the console's threads apart.
void name_this_thread(const char* name);

}  // namespace hotline
