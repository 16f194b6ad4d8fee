#pragma once
// Where tests find their data files and put their scratch files.

#include <filesystem>
#include <string>
#include <string_view>

namespace hotline::test {

std::filesystem::path data_file(std::string_view name);

// A file's whole contents, as raw bytes (empty if it cannot be read): what an attacker holding
// the files sees.
std::string file_bytes(const std::filesystem::path& path);

// A file's permission bits (e.g. 0600); throws if the file cannot be examined.
unsigned file_mode(const std::filesystem::path& path);

// A fresh directory under the system temp dir, removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hotline::test
