// The first-run wizard through its real pages: entries it refuses (with the reason, and nothing
// written), a profile it creates that opens with the key passphrase and the two role
// passphrases chosen, and a creation that fails (the directory is taken) without Finish.

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QTimer>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <fstream>

#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"
#include "core/identity/profile.hpp"
#include "tests/support/free_port.hpp"
#include "tests/ui/console_fixture.hpp"
#include "ui/first_run_wizard.hpp"

using namespace hotline;
using namespace hotline::test;
using Catch::Matchers::ContainsSubstring;

namespace {

// Presses Next. A refusal is a modal message box, run inside next(): a timer on that nested
// event loop reads and closes it. Returns its text, empty when the page was accepted.
std::string next_page(ui::FirstRunWizard& wizard) {
  std::string refusal;
  QTimer watch;
  watch.setInterval(10);
  QObject::connect(&watch, &QTimer::timeout, [&] {
    if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
      refusal = box->text().toStdString();
      box->close();
    }
  });
  watch.start();
  wizard.next();
  watch.stop();
  return refusal;
}

struct Entries {
  QString name = "Beijing";
  QString listen;
  QString key = "key pass";
  QString key_again = "key pass";
  QString op = "operator pass";
  QString op_again = "operator pass";
  QString admin = "admin pass";
  QString admin_again = "admin pass";
};

// Fills every page from `e` and goes on to the last page, where the profile is created.
void fill_and_create(ui::FirstRunWizard& wizard, const Entries& e) {
  REQUIRE(wizard.currentId() == 0);
  REQUIRE(next_page(wizard).empty());
  wizard.name_field()->setText(e.name);
  wizard.listen_field()->setText(e.listen);
  REQUIRE(next_page(wizard).empty());
  wizard.key_field()->setText(e.key);
  wizard.key_again_field()->setText(e.key_again);
  REQUIRE(next_page(wizard).empty());
  wizard.operator_field()->setText(e.op);
  wizard.operator_again_field()->setText(e.op_again);
  wizard.admin_field()->setText(e.admin);
  wizard.admin_again_field()->setText(e.admin_again);
  REQUIRE(next_page(wizard).empty());
  REQUIRE(wizard.currentId() == 4);
}

QString listen_address() {
  return QString("127.0.0.1:%1").arg(free_udp_port());
}

}  // namespace

TEST_CASE("the first-run wizard refuses bad entries and writes nothing for them") {
  TempDir dir;
  const auto profile_dir = dir.path() / "console";
  ui::FirstRunWizard wizard(profile_dir);
  wizard.show();
  REQUIRE(next_page(wizard).empty());

  CHECK_THAT(next_page(wizard), ContainsSubstring("needs a name"));
  wizard.name_field()->setText("Beijing");
  wizard.listen_field()->setText("somewhere");
  CHECK_FALSE(next_page(wizard).empty());  // the endpoint parser's own message
  CHECK(wizard.currentId() == 1);
  wizard.listen_field()->setText(listen_address());
  REQUIRE(next_page(wizard).empty());

  wizard.key_field()->setText("one");
  wizard.key_again_field()->setText("another");
  CHECK_THAT(next_page(wizard), ContainsSubstring("key passphrases differ"));
  wizard.key_again_field()->setText("one");
  CHECK_THAT(next_page(wizard), ContainsSubstring("at least 8 characters"));  // one was taken
  wizard.key_field()->setText("key passphrase");
  wizard.key_again_field()->setText("key passphrase");
  REQUIRE(next_page(wizard).empty());

  CHECK_THAT(next_page(wizard), ContainsSubstring("Both role passphrases"));
  wizard.operator_field()->setText("x");
  wizard.operator_again_field()->setText("x");
  wizard.admin_field()->setText("y");
  wizard.admin_again_field()->setText("y");
  CHECK_THAT(next_page(wizard), ContainsSubstring("at least 8 characters"));
  wizard.operator_field()->setText("same words");
  wizard.operator_again_field()->setText("same words");
  wizard.admin_field()->setText("same words");
  wizard.admin_again_field()->setText("same words");
  CHECK_THAT(next_page(wizard), ContainsSubstring("must differ"));
  // Which pair differs is named.
  wizard.admin_again_field()->setText("not the same");
  CHECK_THAT(next_page(wizard), ContainsSubstring("administrator passphrase and its repetition"));
  wizard.admin_field()->setText("not the same");
  wizard.operator_again_field()->setText("other words");
  CHECK_THAT(next_page(wizard), ContainsSubstring("operator passphrase and its repetition"));
  // The administrator's may not be the key's.
  wizard.operator_again_field()->setText("same words");
  wizard.admin_field()->setText("key passphrase");
  wizard.admin_again_field()->setText("key passphrase");
  CHECK_THAT(next_page(wizard), ContainsSubstring("differ from the key passphrase"));
  CHECK(wizard.currentId() == 3);
  CHECK_FALSE(std::filesystem::exists(profile_dir));
}

TEST_CASE("the first-run wizard creates a profile with the passphrases chosen") {
  TempDir dir;
  const auto profile_dir = dir.path() / "console";
  ui::FirstRunWizard wizard(profile_dir);
  wizard.show();
  Entries entries;
  entries.listen = listen_address();
  fill_and_create(wizard, entries);
  // Creating takes Argon2id time off the GUI thread; until it is done there is no Finish,
  // and no going back to the page that started it.
  CHECK_FALSE(wizard.button(QWizard::FinishButton)->isEnabled());
  CHECK_FALSE(wizard.button(QWizard::BackButton)->isEnabled());
  wait_until([&] { return wizard.button(QWizard::FinishButton)->isEnabled(); },
             "the profile to be created", 60000);
  CHECK(wizard.key_passphrase() == "key pass");
  wizard.accept();
  CHECK(wizard.result() == QDialog::Accepted);

  auto profile = identity::Profile::open(profile_dir);
  CHECK(profile.name() == "Beijing");
  CHECK(profile.key_needs_passphrase());
  CHECK_NOTHROW(profile.unlock("key pass"));
  admin::AuditTrail audit(profile);
  admin::RoleGate gate(profile, audit);
  CHECK_NOTHROW(gate.unlock(store::Role::kOperator, "operator pass", "test"));
  CHECK_NOTHROW(gate.unlock(store::Role::kAdministrator, "admin pass", "test"));
  CHECK_THROWS_AS(gate.unlock(store::Role::kAdministrator, "operator pass", "test"),
                  admin::AccessDenied);
}

TEST_CASE("a profile the wizard cannot create leaves no Finish, and Back to correct it") {
  TempDir dir;
  const auto profile_dir = dir.path() / "console";
  std::filesystem::create_directories(profile_dir);
  { std::ofstream(profile_dir / "something else") << "taken"; }
  ui::FirstRunWizard wizard(profile_dir);
  wizard.show();
  Entries entries;
  entries.listen = listen_address();
  fill_and_create(wizard, entries);
  wait_until([&] { return wizard.button(QWizard::BackButton)->isEnabled(); },
             "the creation to fail", 60000);
  CHECK_FALSE(wizard.button(QWizard::FinishButton)->isEnabled());
  const auto shown = wizard.currentPage()->findChild<QLabel*>()->text().toStdString();
  CHECK_THAT(shown, ContainsSubstring("could not be created"));
  wizard.accept();  // Enter on the last page: refused while nothing was created
  CHECK(wizard.isVisible());
  CHECK(std::filesystem::exists(profile_dir / "something else"));
  CHECK_FALSE(std::filesystem::exists(profile_dir / identity::kDatabaseFileName));
}
