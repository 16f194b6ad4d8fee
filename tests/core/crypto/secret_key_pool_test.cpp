#include "core/crypto/secret_key_pool.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

using hotline::crypto::SecretKeyPool;

namespace {

void fill_key(std::span<std::uint8_t, 32> key, std::size_t n) {
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(n * 7 + i);
}

bool key_holds(std::span<const std::uint8_t, 32> key, std::size_t n) {
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != static_cast<std::uint8_t>(n * 7 + i)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a key pool keeps a thousand keys in place, a page of guarded memory per 127") {
  SecretKeyPool pool;
  std::vector<std::span<std::uint8_t, 32>> slots;
  for (std::size_t n = 0; n < 1000; ++n) {
    const auto slot = pool.add();
    REQUIRE(std::all_of(slot.begin(), slot.end(), [](std::uint8_t b) { return b == 0; }));
    fill_key(slot, n);
    slots.push_back(slot);
  }
  CHECK(pool.size() == 1000);
  // Slots never move as the pool grows: every key is still where it was written.
  for (std::size_t n = 0; n < slots.size(); ++n) REQUIRE(key_holds(slots[n], n));
  // One allocation holds 127 consecutive keys: 1 000 keys take 8 allocations, not 1 000.
  for (std::size_t n = 1; n < 127; ++n) REQUIRE(slots[n].data() == slots[n - 1].data() + 32);
  CHECK(slots[127].data() != slots[126].data() + 32);
}

TEST_CASE("a key pool wipes a dropped slot and hands it out again") {
  SecretKeyPool pool;
  fill_key(pool.add(), 1);
  const auto second = pool.add();
  fill_key(second, 2);
  pool.drop_last();
  CHECK(pool.size() == 1);
  CHECK(std::all_of(second.begin(), second.end(), [](std::uint8_t b) { return b == 0; }));
  CHECK(pool.add().data() == second.data());
}

TEST_CASE("a moved key pool keeps its keys; the one moved from is empty") {
  SecretKeyPool pool;
  const auto slot = pool.add();
  fill_key(slot, 3);
  SecretKeyPool moved(std::move(pool));
  CHECK(moved.size() == 1);
  CHECK(key_holds(slot, 3));
  CHECK(pool.size() == 0);        // NOLINT(bugprone-use-after-move): the moved-from state is tested
  const auto fresh = pool.add();  // usable again, in memory of its own
  CHECK(fresh.data() != slot.data());
  SecretKeyPool assigned;
  fill_key(assigned.add(), 4);
  fill_key(assigned.add(), 5);
  assigned = std::move(moved);  // its own two keys are wiped and freed
  CHECK(assigned.size() == 1);
  CHECK(key_holds(slot, 3));
}
