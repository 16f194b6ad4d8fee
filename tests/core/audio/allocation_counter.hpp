#pragma once
// Counts every operator new and delete in the test program it is linked into (test_audio,
// test_call), for tests that prove a real-time or per-frame path never touches the heap, or
// that a long run's heap stays flat.

#include <cstddef>

namespace hotline::test {

// Allocations through operator new since the program started.
std::size_t allocation_count();
// Blocks allocated through operator new and not yet deleted.
std::ptrdiff_t live_allocation_count();

}  // namespace hotline::test
