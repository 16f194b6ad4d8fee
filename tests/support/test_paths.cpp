#include "tests/support/test_paths.hpp"

#include <sodium.h>

#include <string>
#include <system_error>

#include "core/util/bytes.hpp"

namespace hotline::test {

std::filesystem::path data_file(std::string_view name) {
  return std::filesystem::path(HOTLINE_TEST_DATA_DIR) / name;
}

TempDir::TempDir() {
  std::array<std::uint8_t, 8> random{};
  randombytes_buf(random.data(), random.size());
  path_ = std::filesystem::temp_directory_path() / ("hotline-test-" + to_hex(random));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace hotline::test
