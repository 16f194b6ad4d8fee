#pragma once
// A console's profile directory (mode 0700):
//   identity.key  the identity seed (key_file.hpp), optionally passphrase-protected
//   hotline.db    the store: settings (own name, listen endpoint, public key) and peers
// Opening a profile needs no passphrase; signing and calling need unlock().

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/identity.hpp"
#include "core/identity/key_file.hpp"
#include "core/identity/peer_card.hpp"
#include "core/net/endpoint.hpp"
#include "core/store/database.hpp"
#include "core/store/directory_seal.hpp"
#include "core/store/peer_store.hpp"
#include "core/store/records_key.hpp"
#include "core/store/settings_store.hpp"

namespace hotline::identity {

inline constexpr std::string_view kKeyFileName = "identity.key";
inline constexpr std::string_view kDatabaseFileName = "hotline.db";

class Profile {
 public:
  // $XDG_DATA_HOME/hotline-console, or ~/.local/share/hotline-console.
  static std::filesystem::path default_directory();

  // Creates a new identity and profile. Refuses a directory that exists and is not empty.
  // Built in a temporary sibling directory and renamed into place, so a failure leaves
  // nothing behind. The returned profile is already unlocked.
  static Profile create(const std::filesystem::path& dir, std::string name, net::Endpoint listen,
                        std::optional<std::string_view> passphrase,
                        KeyFileCost cost = KeyFileCost::kModerate);
  // Opens the store only. Throws "no profile in DIR; run 'hotline init' first" if missing.
  static Profile open(const std::filesystem::path& dir);

  Profile(Profile&&) noexcept;
  Profile& operator=(Profile&&) noexcept;
  ~Profile();

  bool key_needs_passphrase() const;
  // Loads the identity; checks it is the one this profile was created with. Then opens the
  // records key; on a profile that has none yet (schema v3 and before), creates it and
  // protects what is there, once: pre-shared keys encrypted, the directory sealed, the audit
  // log's unsigned entries signed (docs/records.md, "Protection").
  const crypto::Identity& unlock(std::optional<std::string_view> passphrase);
  bool unlocked() const { return identity_.has_value(); }
  const crypto::Identity& identity() const;  // throws if not unlocked

  // The records key's subkeys, once unlock() or a role passphrase (adopt_records_key) opened
  // it; null before. The peer store uses them from then on.
  const store::RecordsKeys* records_keys() const { return records_keys_.get(); }
  void adopt_records_key(const crypto::SecretKey& records_key);
  // What in the peer directory was changed outside the console (store/directory_seal.hpp);
  // nullopt when the records key is not held, so the seals cannot be checked.
  std::optional<std::vector<store::DirectoryFinding>> directory_findings();

  const std::string& name() const { return name_; }
  const net::Endpoint& listen() const { return listen_; }
  const crypto::PublicKey& public_key() const { return public_key_; }  // known without unlock

  store::Database& database() { return *database_; }
  store::PeerStore& peers() { return peers_; }
  store::SettingsStore& settings() { return settings_; }

  // Needs unlock. Advertises `advertised`, or the listen endpoint when empty; refuses
  // endpoints peers cannot reach (unspecified address such as 0.0.0.0, port 0).
  PeerCard own_card(std::vector<net::Endpoint> advertised = {})
      const;  // needs unlock; advertises the listen endpoint

  // Validates the card, refuses our own key and duplicates (by name or key), optionally
  // replaces the card's endpoints with `endpoint_override`; all-or-nothing. Returns the name
  // the peer was stored under.
  std::string import_card(std::string_view card_text,
                          std::optional<net::Endpoint> endpoint_override);

  const std::filesystem::path& directory() const { return directory_; }

 private:
  Profile(std::filesystem::path directory, store::Database database);
  void protect_records();
  // Seals the audit entries still in the clear (store::AuditLog::seal_clear); whether any were.
  bool seal_clear_audit();

  std::filesystem::path directory_;
  std::unique_ptr<store::Database> database_;  // on the heap so the stores' pointers survive moves
  store::PeerStore peers_;
  store::SettingsStore settings_;
  std::string name_;
  net::Endpoint listen_;
  crypto::PublicKey public_key_{};
  std::optional<crypto::Identity> identity_;
  std::unique_ptr<store::RecordsKeys> records_keys_;  // on the heap: peers_ points at it
};

}  // namespace hotline::identity
