#include "core/identity/profile.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <system_error>

#include "core/store/audit_log.hpp"
#include "core/store/call_history.hpp"
#include "core/store/directory_seal.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/upgrade_backup.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/time_format.hpp"

namespace hotline::identity {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNameSetting = "own_name";
constexpr std::string_view kListenSetting = "listen_endpoint";
constexpr std::string_view kPublicKeySetting = "public_key";

void fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  const int saved_errno = errno;
  if (fd >= 0) ::close(fd);
  if (!synced) {
    throw Error("cannot sync directory " + dir.string() + ": " + std::strerror(saved_errno));
  }
}

// Without a trailing separator, so filename() names the profile directory itself.
fs::path normalized(const fs::path& dir) {
  fs::path path = fs::absolute(dir).lexically_normal();
  if (!path.has_filename() && path.has_parent_path()) path = path.parent_path();
  return path;
}

fs::path make_temp_sibling(const fs::path& dir) {
  std::array<std::uint8_t, 8> random{};
  randombytes_buf(random.data(), random.size());
  const fs::path temp =
      dir.parent_path() / ("." + dir.filename().string() + ".creating-" + to_hex(random));
  if (::mkdir(temp.c_str(), 0700) != 0) {
    throw Error("cannot create directory " + temp.string() + ": " + std::strerror(errno));
  }
  return temp;
}

void refuse_existing(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status)) throw Error(dir.string() + " exists and is not a directory");
  if (!fs::is_empty(dir)) {
    throw Error(dir.string() + " already exists and is not empty; refusing to create a profile");
  }
}

std::string required_setting(store::SettingsStore& settings, std::string_view key,
                             const fs::path& dir) {
  std::optional<std::string> value = settings.get(key);
  if (!value) {
    throw Error("profile in " + dir.string() + " is damaged: setting '" + std::string(key) +
                "' is missing");
  }
  return std::move(*value);
}

}  // namespace

fs::path Profile::default_directory() {
  // The XDG spec says relative values are invalid and must be ignored.
  if (const char* xdg = std::getenv("XDG_DATA_HOME");
      xdg != nullptr && fs::path(xdg).is_absolute()) {
    return fs::path(xdg) / "hotline-console";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    const passwd* entry = ::getpwuid(::geteuid());
    home = entry != nullptr ? entry->pw_dir : nullptr;
  }
  if (home == nullptr || *home == '\0') {
    throw Error("cannot find the home directory; set HOME or XDG_DATA_HOME");
  }
  return fs::path(home) / ".local" / "share" / "hotline-console";
}

Profile Profile::create(const fs::path& dir, std::string name, net::Endpoint listen,
                        std::optional<std::string_view> passphrase, KeyFileCost cost) {
  validate_console_name(name);
  const std::string listen_text = net::parse_endpoint_or_throw(listen.to_string()).to_string();
  if (passphrase && passphrase->empty()) throw Error("the passphrase must not be empty");
  const fs::path target = normalized(dir);
  refuse_existing(target);
  fs::create_directories(target.parent_path());

  const fs::path temp = make_temp_sibling(target);
  std::optional<crypto::Identity> identity;
  try {
    identity.emplace(crypto::Identity::generate());
    write_key_file(temp / kKeyFileName, identity->seed(), passphrase, cost);
    {
      store::Database db = store::Database::open(temp / kDatabaseFileName);
      store::Transaction transaction(db);
      store::SettingsStore settings(db);
      settings.set(kNameSetting, name);
      settings.set(kListenSetting, listen_text);
      settings.set(kPublicKeySetting, to_base64(identity->public_key()));
      transaction.commit();
    }  // closed before the rename: SQLite reopens its -wal/-shm files by path
    // rename(2) replaces an empty directory atomically and fails on a non-empty one, so a
    // profile created concurrently is never overwritten.
    if (::rename(temp.c_str(), target.c_str()) != 0) {
      throw Error("cannot create profile " + target.string() + ": " + std::strerror(errno));
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    throw;
  }
  fsync_directory(target.parent_path());

  Profile profile = open(target);
  profile.identity_ = std::move(identity);
  profile.protect_records();
  return profile;
}

Profile Profile::open(const fs::path& dir) {
  const fs::path key_path = dir / kKeyFileName;
  const fs::path db_path = dir / kDatabaseFileName;
  const bool has_key = fs::exists(key_path);
  const bool has_db = fs::exists(db_path);
  if (!has_key && !has_db) {
    throw Error("no profile in " + dir.string() + "; run 'hotline init' first");
  }
  if (!has_key || !has_db) {
    throw Error("profile in " + dir.string() + " is incomplete: " +
                std::string(has_key ? kDatabaseFileName : kKeyFileName) + " is missing");
  }
  Profile profile(dir, store::Database::open(db_path, store::Database::OpenMode::kMustExist));
  profile.name_ = required_setting(profile.settings_, kNameSetting, dir);
  profile.listen_ =
      net::parse_endpoint_or_throw(required_setting(profile.settings_, kListenSetting, dir));
  const std::optional<Bytes> key =
      from_base64(required_setting(profile.settings_, kPublicKeySetting, dir));
  if (!key || key->size() != profile.public_key_.size()) {
    throw Error("profile in " + dir.string() + " is damaged: the stored public key is invalid");
  }
  std::copy(key->begin(), key->end(), profile.public_key_.begin());
  return profile;
}

Profile::Profile(fs::path directory, store::Database database)
    : directory_(std::move(directory)),
      database_(std::make_unique<store::Database>(std::move(database))),
      peers_(*database_),
      settings_(*database_) {}

Profile::Profile(Profile&&) noexcept = default;
Profile& Profile::operator=(Profile&&) noexcept = default;
Profile::~Profile() = default;

bool Profile::key_needs_passphrase() const {
  return key_file_needs_passphrase(directory_ / kKeyFileName);
}

const crypto::Identity& Profile::unlock(std::optional<std::string_view> passphrase) {
  const crypto::SecretKey seed = read_key_file(directory_ / kKeyFileName, passphrase);
  crypto::Identity loaded = crypto::Identity::from_seed(seed);
  if (loaded.public_key() != public_key_) {
    throw Error(std::string(kKeyFileName) + " in " + directory_.string() +
                " does not belong to this profile (its key differs from the one in " +
                std::string(kDatabaseFileName) + ")");
  }
  identity_ = std::move(loaded);
  protect_records();
  return *identity_;
}

std::optional<std::vector<store::DirectoryFinding>> Profile::directory_findings() {
  if (!records_keys_) return std::nullopt;
  return store::check_directory(*database_, records_keys_->directory_mac);
}

void Profile::adopt_records_key(const crypto::SecretKey& records_key) {
  // There is one records key; once held, it stays (other threads may be reading it).
  if (records_keys_) return;
  records_keys_ = std::make_unique<store::RecordsKeys>(records_key);
  peers_.use_keys(records_keys_.get());
}

void Profile::protect_records() {
  store::RecordsKeyStore keys(*database_);
  if (std::optional<crypto::SecretKey> existing = keys.open(*identity_)) {
    adopt_records_key(*existing);
    store::seal_clear_history(*database_, *records_keys_, unix_ms_now());
    if (seal_clear_audit()) database_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    store::remove_unprotected_backups(database_->path());
    return;
  }
  {
    store::Transaction transaction(*database_);
    const crypto::SecretKey created = keys.create(*identity_);
    adopt_records_key(created);
    peers_.encrypt_clear_psks();
    store::seal_whole_directory(*database_, records_keys_->directory_mac);
    store::AuditLog(*database_, public_key_)
        .sign_pending(*identity_, &records_keys_->audit_mac, /*adopt_unvouched=*/true);
    transaction.commit();
  }
  // Call rows and audit entries of an earlier version are sealed too (history_keys.hpp).
  store::seal_clear_history(*database_, *records_keys_, unix_ms_now());
  seal_clear_audit();
  // The clear pre-shared keys were zeroed in the pages (secure_delete); the copies of those
  // pages in the write-ahead log go with it.
  database_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // The upgrade's backup holds them in the clear as well; the protected file replaces it.
  store::remove_unprotected_backups(database_->path());
}

bool Profile::seal_clear_audit() {
  store::AuditLog log(*database_, public_key_);
  // A log found tampered with is left as it is, for an administrator to see, and no epoch
  // is made for it.
  if (!log.has_clear_entries() || !log.verify(&records_keys_->audit_mac).intact) return false;
  const store::HistoryEpoch epoch =
      store::HistoryKeyStore(*database_).create_epoch(*records_keys_, unix_ms_now());
  return log.seal_clear(*identity_, records_keys_->audit_mac, epoch) > 0;
}

const crypto::Identity& Profile::identity() const {
  if (!identity_) throw Error("the profile is locked; unlock it first");
  return *identity_;
}

PeerCard Profile::own_card(std::vector<net::Endpoint> advertised) const {
  if (advertised.empty()) advertised.push_back(listen_);
  for (const auto& e : advertised) {
    if (e.port == 0 || net::to_udp(e).address().is_unspecified()) {
      throw Error("a card must name an address peers can reach, not " + e.to_string() +
                  "; give the address to advertise (card --endpoint HOST:PORT)");
    }
  }
  return make_card(identity(), name_, std::move(advertised));
}

std::string Profile::import_card(std::string_view card_text,
                                 std::optional<net::Endpoint> endpoint_override) {
  const PeerCard card = parse_card(card_text);
  if (card.public_key == public_key_) {
    throw Error("this is this console's own card; import the other console's card instead");
  }
  store::PeerRecord record;
  record.name = card.name;
  record.public_key = card.public_key;
  if (endpoint_override) {
    record.endpoints = {net::parse_endpoint_or_throw(endpoint_override->to_string()).to_string()};
  } else {
    for (const net::Endpoint& endpoint : card.endpoints) {
      record.endpoints.push_back(endpoint.to_string());
    }
  }
  record.card_text = serialize_card(card);
  record.imported_at = static_cast<std::int64_t>(std::time(nullptr));
  peers_.add(record);
  return record.name;
}

}  // namespace hotline::identity
