// Start-up is not a dead end (the officials' review): a mistyped key passphrase and a listening
// port another program holds are told apart from other failures, so the console asks again or
// offers another address; the address changed at start-up is on the audit log.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/identity/profile.hpp"
#include "core/store/audit_log.hpp"
#include "tests/support/audit_reader.hpp"
#include "tests/support/free_port.hpp"
#include "tests/ui/console_fixture.hpp"

using namespace hotline;
using namespace hotline::test;
using Catch::Matchers::ContainsSubstring;

namespace {

// A UDP port held by "another program" for the life of the object.
class HeldPort {
 public:
  explicit HeldPort(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  }
  ~HeldPort() { ::close(fd_); }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;

 private:
  int fd_;
};

struct Failure {
  ui::StartFailure kind;
  QString message;
  QString listen;
};

}  // namespace

TEST_CASE("start-up: a wrong passphrase asks again; a port in use can be exchanged for another") {
  TempDir dir;
  const std::uint16_t port = free_udp_port();
  identity::Profile::create(dir.path() / "p", "Beijing", net::Endpoint{"127.0.0.1", port},
                            std::string("right passphrase"), identity::KeyFileCost::kInteractive);
  ui::SessionOptions options;
  options.profile_dir = dir.path() / "p";
  options.audio = ui::AudioMode::kTone;
  options.role_cost = crypto::PassphraseCost::kInteractive;
  ui::ConsoleSession session(options);
  std::optional<Failure> failed;
  bool started = false;
  QObject::connect(&session, &ui::ConsoleSession::startFailed, &session,
                   [&](const QString& message, ui::StartFailure kind, const QString& listen) {
                     failed = Failure{kind, message, listen};
                   });
  QObject::connect(&session, &ui::ConsoleSession::started, &session, [&] { started = true; });

  session.start(std::string("wrong passphrase"));
  wait_until([&] { return failed.has_value(); }, "the start to fail");
  CHECK(failed->kind == ui::StartFailure::kWrongPassphrase);

  {
    const HeldPort held(port);
    failed.reset();
    session.start(std::string("right passphrase"));
    wait_until([&] { return failed.has_value(); }, "the start to fail again");
    CHECK(failed->kind == ui::StartFailure::kAddressInUse);
    CHECK(failed->listen == QString("127.0.0.1:%1").arg(port));
    CHECK_THAT(failed->message.toStdString(), ContainsSubstring("already uses this port"));

    // The user picks another address; a malformed one is refused with the reason.
    std::optional<QString> problem;
    session.change_listen_address("nowhere", std::string("right passphrase"), &session,
                                  [&](QString p) { problem = p; });
    wait_until([&] { return problem.has_value(); }, "the refusal");
    CHECK_FALSE(problem->isEmpty());
    const std::uint16_t other = free_udp_port();
    problem.reset();
    session.change_listen_address(QString("127.0.0.1:%1").arg(other),
                                  std::string("right passphrase"), &session,
                                  [&](QString p) { problem = p; });
    wait_until([&] { return problem.has_value(); }, "the change");
    CHECK(problem->isEmpty());
    session.start(std::string("right passphrase"));
    wait_until([&] { return started; }, "the console to start on the other address");
  }
  std::optional<std::vector<store::AuditEntry>> entries;
  session.run<std::vector<store::AuditEntry>>(
      [](ui::ConsoleBackend& b) { return test::audit_entries_read_by_admin(b.profile); }, &session,
      [&](ui::Outcome<std::vector<store::AuditEntry>> out) { entries = out.value; });
  wait_until([&] { return entries.has_value(); }, "the audit log");
  const bool audited = std::any_of(entries->begin(), entries->end(), [](const auto& e) {
    return e.action == "settings.set" && e.role == "-" &&
           e.details.find("at start-up") != std::string::npos;
  });
  CHECK(audited);
}
