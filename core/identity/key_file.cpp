#include "core/identity/key_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hotline::identity {
namespace {

constexpr std::array<std::uint8_t, 8> kMagic = {'H', 'L', 'K', 'E', 'Y', 0, '\r', '\n'};
constexpr std::uint8_t kFormatVersion = 1;
constexpr std::uint8_t kUnprotected = 0;
constexpr std::uint8_t kPassphrase = 1;

constexpr std::size_t kVersionOffset = 8;
constexpr std::size_t kProtectionOffset = 9;
constexpr std::size_t kBodyOffset = 10;
constexpr std::size_t kSeedLen = crypto::SecretKey::size();
constexpr std::size_t kUnprotectedLen = kBodyOffset + kSeedLen;  // 42

constexpr std::size_t kOpsOffset = kBodyOffset;
constexpr std::size_t kMemOffset = kOpsOffset + 8;
constexpr std::size_t kSaltOffset = kMemOffset + 8;
constexpr std::size_t kNonceOffset = kSaltOffset + crypto_pwhash_SALTBYTES;
constexpr std::size_t kBoxOffset = kNonceOffset + crypto_secretbox_NONCEBYTES;
constexpr std::size_t kBoxLen = crypto_secretbox_MACBYTES + kSeedLen;
constexpr std::size_t kProtectedLen = kBoxOffset + kBoxLen;  // 114
static_assert(kProtectedLen == 114);

// One byte more than any valid file, so an over-long file is detected as such.
using FileBuffer = crypto::Secret<kProtectedLen + 1>;

constexpr const char* kDamaged = "key file is damaged or not a Hotline key file";

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

[[noreturn]] void throw_os_error(std::string_view doing, const std::filesystem::path& path) {
  throw Error(std::string(doing) + " " + path.string() + ": " + std::strerror(errno));
}

// Reads the whole file into secure memory after checking ownership and mode.
std::size_t load(const std::filesystem::path& path, FileBuffer& buffer) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw_os_error("cannot open key file", path);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw_os_error("cannot inspect key file", path);
  if (!S_ISREG(info.st_mode)) throw Error(kDamaged);
  if (info.st_uid != ::geteuid()) throw Error("key file is not owned by the current user");
  if ((info.st_mode & 077) != 0) throw Error("key file permissions are too open (must be 0600)");

  std::size_t length = 0;
  while (length < buffer.size()) {
    const ssize_t got = ::read(fd.get(), buffer.data() + length, buffer.size() - length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_os_error("cannot read key file", path);
    if (got == 0) break;
    length += static_cast<std::size_t>(got);
  }
  return length;
}

// Validates magic, version and the length for the protection kind; returns the kind.
std::uint8_t check_layout(const FileBuffer& buffer, std::size_t length) {
  const std::uint8_t* bytes = buffer.data();
  if (length < kBodyOffset || !std::equal(kMagic.begin(), kMagic.end(), bytes) ||
      bytes[kVersionOffset] != kFormatVersion) {
    throw Error(kDamaged);
  }
  const std::uint8_t protection = bytes[kProtectionOffset];
  if (protection == kUnprotected && length == kUnprotectedLen) return protection;
  if (protection == kPassphrase && length == kProtectedLen) return protection;
  throw Error(kDamaged);
}

struct KdfCost {
  std::uint64_t opslimit;
  std::uint64_t memlimit;
};

KdfCost cost_values(KeyFileCost cost) {
  if (cost == KeyFileCost::kInteractive) {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
  }
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

crypto::SecretKey derive_key(std::string_view passphrase, const std::uint8_t* salt, KdfCost cost) {
  crypto::SecretKey key;
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt,
                    cost.opslimit, static_cast<std::size_t>(cost.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error("not enough memory to derive the key from the passphrase");
  }
  return key;
}

void write_all(int fd, const std::uint8_t* data, std::size_t length,
               const std::filesystem::path& path) {
  while (length > 0) {
    const ssize_t put = ::write(fd, data, length);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) throw_os_error("cannot write key file", path);
    data += put;
    length -= static_cast<std::size_t>(put);
  }
}

void fsync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw_os_error("cannot sync directory", dir);
}

void write_atomically(const std::filesystem::path& path, const std::uint8_t* data,
                      std::size_t length) {
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::array<std::uint8_t, 8> random{};
  randombytes_buf(random.data(), random.size());
  const std::filesystem::path temp =
      dir / ("." + path.filename().string() + ".tmp-" + to_hex(random));

  FileDescriptor fd(
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) throw_os_error("cannot create key file", temp);
  try {
    // The umask can only remove bits, but be explicit about the mode the reader demands.
    if (::fchmod(fd.get(), 0600) != 0) throw_os_error("cannot set mode of key file", temp);
    write_all(fd.get(), data, length, temp);
    if (::fsync(fd.get()) != 0) throw_os_error("cannot sync key file", temp);
    if (::close(fd.release()) != 0) throw_os_error("cannot close key file", temp);
    if (::rename(temp.c_str(), path.c_str()) != 0) throw_os_error("cannot replace key file", path);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  fsync_directory(dir);
}

}  // namespace

void write_key_file(const std::filesystem::path& path, const crypto::SecretKey& seed,
                    std::optional<std::string_view> passphrase, KeyFileCost cost) {
  if (passphrase && passphrase->empty()) throw Error("the passphrase must not be empty");
  FileBuffer buffer;
  std::uint8_t* out = buffer.data();
  std::copy(kMagic.begin(), kMagic.end(), out);
  out[kVersionOffset] = kFormatVersion;

  if (!passphrase) {
    out[kProtectionOffset] = kUnprotected;
    std::copy(seed.data(), seed.data() + kSeedLen, out + kBodyOffset);
    write_atomically(path, out, kUnprotectedLen);
    return;
  }

  out[kProtectionOffset] = kPassphrase;
  const KdfCost kdf = cost_values(cost);
  store_le64(out + kOpsOffset, kdf.opslimit);
  store_le64(out + kMemOffset, kdf.memlimit);
  randombytes_buf(out + kSaltOffset, crypto_pwhash_SALTBYTES);
  randombytes_buf(out + kNonceOffset, crypto_secretbox_NONCEBYTES);
  const crypto::SecretKey key = derive_key(*passphrase, out + kSaltOffset, kdf);
  crypto_secretbox_easy(out + kBoxOffset, seed.data(), kSeedLen, out + kNonceOffset, key.data());
  write_atomically(path, out, kProtectedLen);
}

crypto::SecretKey read_key_file(const std::filesystem::path& path,
                                std::optional<std::string_view> passphrase) {
  FileBuffer buffer;
  const std::size_t length = load(path, buffer);
  const std::uint8_t* in = buffer.data();
  crypto::SecretKey seed;

  if (check_layout(buffer, length) == kUnprotected) {
    std::copy(in + kBodyOffset, in + kBodyOffset + kSeedLen, seed.data());
    return seed;
  }

  if (!passphrase) throw Error("this key file needs a passphrase");
  const KdfCost kdf{load_le64(in + kOpsOffset), load_le64(in + kMemOffset)};
  if (kdf.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      kdf.opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      kdf.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      kdf.memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    throw Error(kDamaged);
  }
  const crypto::SecretKey key = derive_key(*passphrase, in + kSaltOffset, kdf);
  // A damaged box is indistinguishable from a wrong passphrase; the passphrase is far likelier.
  if (crypto_secretbox_open_easy(seed.data(), in + kBoxOffset, kBoxLen, in + kNonceOffset,
                                 key.data()) != 0) {
    throw WrongPassphrase();
  }
  return seed;
}

bool key_file_needs_passphrase(const std::filesystem::path& path) {
  FileBuffer buffer;
  return check_layout(buffer, load(path, buffer)) == kPassphrase;
}

}  // namespace hotline::identity
