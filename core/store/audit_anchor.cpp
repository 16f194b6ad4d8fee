#include "core/store/audit_anchor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <string>

#include "core/store/audit_codec.hpp"

namespace hotline::store {
namespace {

constexpr std::array<std::uint8_t, 8> kMagic = {'H', 'L', 'A', 'U', 'D', 'I', 'T', '\n'};
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kSigned = 1;
constexpr std::uint8_t kMaced = 2;
constexpr std::size_t kFileLen = 114;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

AuditAnchor read_audit_anchor(const std::filesystem::path& path) {
  AuditAnchor anchor;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno != ENOENT) anchor.state = AuditAnchor::State::kDamaged;
    return anchor;
  }
  std::array<std::uint8_t, kFileLen + 1> buf{};
  std::size_t got = 0;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    if (got == buf.size()) break;
  }
  anchor.state = AuditAnchor::State::kDamaged;
  if (got != kFileLen || std::memcmp(buf.data(), kMagic.data(), kMagic.size()) != 0 ||
      buf[8] != kVersion) {
    return anchor;
  }
  anchor.seq = static_cast<std::int64_t>(load_le64(buf.data() + 9));
  std::memcpy(anchor.hash.data(), buf.data() + 17, anchor.hash.size());
  if (buf[49] == kSigned) {
    crypto::Signature sig{};
    std::memcpy(sig.data(), buf.data() + 50, sig.size());
    anchor.signature = sig;
  } else if (buf[49] == kMaced) {
    AuditMac tag{};
    std::memcpy(tag.data(), buf.data() + 50, tag.size());
    anchor.mac = tag;
  } else {
    return anchor;
  }
  anchor.state = AuditAnchor::State::kPresent;
  return anchor;
}

bool write_audit_anchor(const std::filesystem::path& path, std::int64_t seq, const AuditHash& hash,
                        const AuditAuthority& authority) {
  if (!authority.signer && !authority.mac_key) return true;
  std::array<std::uint8_t, kFileLen> buf{};
  std::memcpy(buf.data(), kMagic.data(), kMagic.size());
  buf[8] = kVersion;
  store_le64(buf.data() + 9, static_cast<std::uint64_t>(seq));
  std::memcpy(buf.data() + 17, hash.data(), hash.size());
  const Bytes message = audit_codec::anchor_message(seq, hash);
  if (authority.signer) {
    buf[49] = kSigned;
    const crypto::Signature sig = authority.signer->sign(message);
    std::memcpy(buf.data() + 50, sig.data(), sig.size());
  } else {
    buf[49] = kMaced;
    const AuditMac tag = audit_codec::mac(*authority.mac_key, message);
    std::memcpy(buf.data() + 50, tag.data(), tag.size());
  }
  const std::filesystem::path temp =
      path.parent_path() / (path.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return false;
    if (!write_all(fd.get(), buf.data(), buf.size()) || ::fsync(fd.get()) != 0) {
      ::unlink(temp.c_str());
      return false;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace hotline::store
