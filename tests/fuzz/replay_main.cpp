// Runs a fuzz target over files instead of under libFuzzer: every seed and every saved crash
// becomes an ordinary test in every preset (gcc, ASan + UBSan, TSan), so a fixed crash stays
// fixed without clang. Arguments are files or directories (read non-recursively; a missing
// directory is skipped, as a target without saved crashes has none).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path path(argv[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else if (fs::exists(path, ec)) {
      inputs.push_back(path);
    }
  }
  std::sort(inputs.begin(), inputs.end());  // the same order on every machine
  for (const auto& path : inputs) {
    std::ifstream file(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(file), {}};
    if (!file.good() && !file.eof()) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 1;
    }
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("%zu inputs ran clean\n", inputs.size());
  return inputs.empty() ? 1 : 0;  // a target with no seeds at all is a mistake
}
