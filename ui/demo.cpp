#include "ui/demo.hpp"

#include <asio.hpp>

#include "core/admin/administration.hpp"
#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"
#include "core/audio/device_catalog.hpp"
#include "core/identity/profile.hpp"

namespace hotline::ui {
namespace {

constexpr auto kCost = crypto::PassphraseCost::kInteractive;

std::uint16_t free_loopback_port() {
  asio::io_context io;
  asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return socket.local_endpoint().port();
}

}  // namespace

DemoProfiles create_demo_profiles(const std::filesystem::path& root) {
  std::filesystem::create_directories(root);
  DemoProfiles d{root / "beijing", root / "singapore"};
  auto beijing = identity::Profile::create(d.beijing, "Beijing",
                                           net::Endpoint{"127.0.0.1", free_loopback_port()},
                                           std::nullopt, identity::KeyFileCost::kInteractive);
  auto singapore = identity::Profile::create(d.singapore, "Singapore",
                                             net::Endpoint{"127.0.0.1", free_loopback_port()},
                                             std::nullopt, identity::KeyFileCost::kInteractive);
  const std::string beijing_card = identity::serialize_card(beijing.own_card());
  const std::string singapore_card = identity::serialize_card(singapore.own_card());
  for (auto* p : {&beijing, &singapore}) {
    admin::AuditTrail audit(*p);
    admin::RoleGate gate(*p, audit, kCost);
    gate.set_first_passphrases(kDemoAdminPassphrase, kDemoOperatorPassphrase, "demo set-up");
    const admin::RoleGrant grant =
        gate.unlock(store::Role::kAdministrator, kDemoAdminPassphrase, "demo set-up");
    admin::Administration administration(*p, audit);
    const std::string& other = p == &beijing ? singapore_card : beijing_card;
    const std::string name = administration.import_card(grant, other, std::nullopt, false);
    administration.verify(grant, name, std::string("demo set-up (both consoles are local)"));
  }
  return d;
}

bool sound_card_present() {
  try {
    audio::PortAudioLibrary library;
    audio::find_input(library, "default");
    audio::find_output(library, "default");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace hotline::ui
