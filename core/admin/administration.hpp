#pragma once
// What administrators change, each change on the audit log: the peer directory (cards and
// their keys, verification, endpoints, pre-shared keys, disable/enable, removal) and the
// console's settings. Every operation takes an administrator's RoleGrant and is all or
// nothing: a refused or failed change stores nothing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"
#include "core/crypto/secret.hpp"
#include "core/identity/peer_card.hpp"
#include "core/identity/profile.hpp"
#include "core/net/endpoint.hpp"

namespace hotline::admin {

// What importing a card would do, shown before anything is stored.
struct ImportPreview {
  enum class Kind {
    kNew,           // a new peer
    kKeyChange,     // a peer of that name exists with another key: needs replace_key
    kAlreadyKnown,  // this very key is already imported (under existing_name): refused
  };
  identity::PeerCard card;
  std::string fingerprint;
  std::vector<net::Endpoint> endpoints;  // as they would be stored (override applied)
  Kind kind = Kind::kNew;
  std::string existing_name;
  std::string old_fingerprint;  // kKeyChange: the key that would be replaced
};

// Importing a card for a known name with a different key, without replace_key.
class KeyChangeRefused : public Error {
 public:
  using Error::Error;
};

class Administration {
 public:
  Administration(identity::Profile& profile, AuditTrail& audit)
      : profile_(profile), audit_(audit) {}

  // Parses and checks the card against the directory; stores nothing, needs no role. Throws
  // identity::CardError (with the line) for a bad card, Error for this console's own card.
  ImportPreview preview_import(std::string_view card_text,
                               std::optional<net::Endpoint> endpoint_override);
  // Stores the card as an unverified peer. A known name with a different key is refused
  // (KeyChangeRefused) unless `replace_key`; the replaced key's fingerprint goes on record,
  // and the peer is unverified again. Returns the peer's name.
  std::string import_card(const RoleGrant& admin, std::string_view card_text,
                          std::optional<net::Endpoint> endpoint_override, bool replace_key);
  // The administrator compared the fingerprint with the other side; `by` defaults to the
  // grant's actor.
  void verify(const RoleGrant& admin, std::string_view peer, std::optional<std::string> by);
  void set_endpoints(const RoleGrant& admin, std::string_view peer,
                     const std::vector<net::Endpoint>& endpoints);
  // A new random pre-shared key, returned once so it can be handed over out of band.
  crypto::SecretKey generate_psk(const RoleGrant& admin, std::string_view peer);
  void set_psk(const RoleGrant& admin, std::string_view peer, const crypto::SecretKey& psk);
  void clear_psk(const RoleGrant& admin, std::string_view peer);
  void set_enabled(const RoleGrant& admin, std::string_view peer, bool enabled);
  void remove(const RoleGrant& admin, std::string_view peer);
  // Forgets the newest initiation timestamp accepted from the peer (docs/protocol.md §3.5),
  // for a peer refused as replaying after its clock or this one was set wrong. Audited as
  // peer.replay.reset. Returns false (and records nothing) when none was stored.
  bool reset_replay(const RoleGrant& admin, std::string_view peer);

  void set_setting(const RoleGrant& admin, std::string_view key, std::string_view value);
  bool unset_setting(const RoleGrant& admin, std::string_view key);

 private:
  store::PeerRecord existing(std::string_view peer);

  identity::Profile& profile_;
  AuditTrail& audit_;
};

// The text form of a pre-shared key (one line of base64), and back. parse_psk throws
// hotline::Error for anything but 32 bytes of base64 (surrounding whitespace allowed).
std::string format_psk(const crypto::SecretKey& psk);
crypto::SecretKey parse_psk(std::string_view text);

}  // namespace hotline::admin
