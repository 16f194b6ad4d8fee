// Key files are handed over when a console is restored or moved, and get damaged on disk.
// read_key_file takes a path and checks owner and mode, so each input goes to a 0600 file. With
// a passphrase it runs Argon2id at the file's declared cost, up to SENSITIVE (1 GiB, 4 passes):
// seconds per input. Inputs declaring more than a token cost are read without a passphrase
// only; cheap ones still reach the cost range check, Argon2id and the secretbox open.

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/identity/key_file.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

namespace {
struct ScratchFile {
  // tmpfs when there is one: on a disk-backed /tmp every input is block I/O.
  std::filesystem::path path =
      (std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                 : std::filesystem::temp_directory_path()) /
      ("hotline-fuzz-key-" + std::to_string(::getpid()));
  ~ScratchFile() { ::unlink(path.c_str()); }

  void write(ByteSpan bytes) const {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    fuzz::require(fd >= 0 && ::fchmod(fd, 0600) == 0);
    fuzz::require(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
};

// The offsets of key_file.hpp's protection-1 layout (114 bytes).
bool cheap_to_derive(ByteSpan file) {
  if (file.size() != 114) return true;  // no Argon2id for any other length
  const std::uint64_t ops = load_le64(&file[10]);
  const std::uint64_t mem = load_le64(&file[18]);
  const bool allowed = ops >= crypto_pwhash_OPSLIMIT_MIN &&
                       ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
                       mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= crypto_pwhash_MEMLIMIT_SENSITIVE;
  return !allowed || (ops <= 3 && mem <= 64 * 1024);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile file;
  const ByteSpan input(data, size);
  file.write(input);
  bool damaged = false, needs_passphrase = false;
  try {
    needs_passphrase = identity::key_file_needs_passphrase(file.path);
  } catch (const Error&) {
    damaged = true;
  }
  try {
    const crypto::SecretKey seed = identity::read_key_file(file.path, std::nullopt);
    // Only an unprotected 42-byte file opens without a passphrase; its seed is stored in clear.
    fuzz::require(!damaged && !needs_passphrase && size == 42);
    fuzz::require(std::equal(seed.span().begin(), seed.span().end(), data + 10));
  } catch (const Error&) {
  }
  if (!cheap_to_derive(input)) return 0;
  try {
    (void)identity::read_key_file(file.path, fuzz::kKeyFilePassphrase);
    fuzz::require(!damaged);
  } catch (const Error&) {
  }
  return 0;
}
