// The window at the sizes officials' desks have: 800 × 600, and a 1080-line screen at scale
// factor 2 (540 logical lines); long names; the Peers page's trust column and own
// fingerprint; the Addresses dialog and a pasted card as administrators write them.

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QMessageBox>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/crypto/fingerprint.hpp"
#include "core/identity/peer_card.hpp"
#include "core/net/endpoint.hpp"
#include "tests/ui/console_fixture.hpp"
#include "ui/error_text.hpp"
#include "ui/language.hpp"
#include "ui/name_label.hpp"
#include "ui/peer_dialogs.hpp"
#include "ui/peers_page.hpp"
#include "ui/role_lock.hpp"

using namespace hotline;
using namespace hotline::test;
using Catch::Matchers::ContainsSubstring;

namespace {

// Fully inside the table's viewport: the user sees it without scrolling.
bool column_visible(QTableWidget* table, int column) {
  const int left = table->horizontalHeader()->sectionViewportPosition(column);
  return left >= 0 && left + 40 <= table->viewport()->width();
}

}  // namespace

TEST_CASE("at 800 x 600 every page fits and the Peers table shows who verified each key") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  ignore_worker_leaks(bj);  // Settings is shown: its sound-device scan loads PortAudio's plugins
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  bj.window->resize(800, 600);
  for (int tab = 0; tab < bj.window->tabs()->count(); ++tab) {
    bj.window->tabs()->setCurrentIndex(tab);
    QApplication::processEvents();
    CAPTURE(tab);
    CHECK(bj.window->minimumSizeHint().width() <= 800);
    CHECK(bj.window->minimumSizeHint().height() <= 600);
    CHECK(bj.window->width() <= 800);
  }
  bj.window->tabs()->setCurrentIndex(2);
  ui::PeersPage& peers = *bj.window->peers_page();
  wait_until([&] { return peers.table()->rowCount() == 1; }, "Singapore in the table");
  QApplication::processEvents();
  // The defect: "Verified by" was the last column, behind 60 digits of fingerprint.
  CHECK(column_visible(peers.table(), ui::PeersPage::kVerifiedBy));
  CHECK(column_visible(peers.table(), ui::PeersPage::kState));
  CHECK(peers.table()->item(0, ui::PeersPage::kName)->text() == "Singapore");
  // This console's own fingerprint, for reading to the other side, is on the page.
  CHECK(peers.own_fingerprint()->isVisible());
  CHECK(peers.own_fingerprint()->text().contains(bj.session->info().fingerprint));
}

TEST_CASE("a window opens inside the screen, also at scale factor 2 on a 1080-line screen") {
  CHECK(ui::MainWindow::initial_size(QRect(0, 0, 1920, 1050)) == QSize(900, 680));
  // Scale factor 2: 1920 x 1080 device pixels are 960 x 540 logical ones, less a panel.
  const QRect two_x(0, 0, 960, 510);
  const QSize size = ui::MainWindow::initial_size(two_x);
  CHECK(size.width() <= two_x.width());
  CHECK(size.height() <= two_x.height());
  ConsoleSet set({"Beijing", "Singapore"});
  // ... and the window can be that small: nothing forces it past the screen.
  CHECK(set[0].window->minimumSizeHint().width() <= size.width());
  CHECK(set[0].window->minimumSizeHint().height() <= size.height());
}

TEST_CASE("a long peer name is shown whole in its tile, wrapped, never cut at the edge") {
  const QString name = "Ministry-of-National-Defence-Operations-Centre";
  ui::NameLabel label(name, 3);
  QFont big = label.font();
  big.setPointSizeF(big.pointSizeF() * 1.8);
  label.setFont(big);
  const int width = 220;
  const QStringList lines = label.lines_at(width);
  CAPTURE(lines.join(" | ").toStdString());
  REQUIRE(lines.size() >= 2);  // a single word wider than the tile is wrapped inside
  CHECK(lines.join("") == name);
  for (const QString& line : lines) CHECK(QFontMetrics(big).horizontalAdvance(line) <= width);
  CHECK(label.heightForWidth(width) >= lines.size() * QFontMetrics(big).lineSpacing());
  // Too long even for three lines: the last ends in "…", the whole name is in the tooltip.
  ui::NameLabel longer(name + name + name + name, 3);
  longer.setFont(big);
  longer.resize(width, longer.heightForWidth(width));
  longer.show();
  QApplication::processEvents();
  CHECK(longer.lines_at(width).size() == 3);
  CHECK(longer.lines_at(width).back().endsWith(QChar(0x2026)));
  CHECK(longer.toolTip() == name + name + name + name);
}

TEST_CASE("the Addresses dialog takes commas, keeps a mistake for correcting and names it") {
  ConsoleSet set({"Beijing", "Singapore"});
  UiConsole& bj = set[0];
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  bj.window->tabs()->setCurrentIndex(2);
  ui::PeersPage& peers = *bj.window->peers_page();
  wait_until([&] { return peers.table()->rowCount() == 1; }, "Singapore in the table");
  peers.table()->selectRow(0);
  ui::EndpointsDialog* dialog = nullptr;
  QObject::connect(&peers, &ui::PeersPage::endpointsDialogShown,
                   [&](ui::EndpointsDialog* d) { dialog = d; });
  peers.edit_endpoints();
  REQUIRE(dialog != nullptr);
  // A port left off: the dialog stays open with what was typed, and says what is wrong.
  dialog->field()->setText("192.0.2.7:47000, 192.0.2.8");
  click(dialog->ok_button());
  CHECK(dialog->isVisible());
  CHECK(dialog->field()->text() == "192.0.2.7:47000, 192.0.2.8");
  CHECK(dialog->problem()->isVisible());
  CHECK_THAT(dialog->problem()->text().toStdString(), ContainsSubstring("192.0.2.8"));
  CHECK_THAT(dialog->problem()->text().toStdString(), ContainsSubstring("no port"));
  // Commas between addresses (the defect: split on spaces only, "a:1," was refused).
  dialog->field()->setText("192.0.2.7:47000, [2001:db8::7]:47000");
  click(dialog->ok_button());
  wait_until(
      [&] {
        return peers.table()->item(0, ui::PeersPage::kAddresses) &&
               peers.table()->item(0, ui::PeersPage::kAddresses)->text() ==
                   "192.0.2.7:47000, [2001:db8::7]:47000";
      },
      "the two addresses stored");
}

TEST_CASE("a card pasted indented from a message, with text after it, is imported") {
  ConsoleSet set({"Beijing"});
  UiConsole& bj = set[0];
  bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
  bj.window->tabs()->setCurrentIndex(2);
  ui::PeersPage& peers = *bj.window->peers_page();
  QDialog* shown = nullptr;
  QObject::connect(&peers, &ui::PeersPage::importPreviewShown, [&](QDialog* d) { shown = d; });
  const crypto::Identity tokyo = crypto::Identity::generate();
  const std::string card = identity::serialize_card(
      identity::make_card(tokyo, "Tokyo", {net::parse_endpoint_or_throw("192.0.2.9:47000")}));
  QString mail = "Our card, as agreed:\n\n";
  for (const QString& line : QString::fromStdString(card).split('\n', Qt::SkipEmptyParts))
    mail += "    " + line + "\n";
  mail += "\n-- \nDuty officer, Tokyo\n";
  peers.import_pasted(mail);
  wait_until([&] { return shown != nullptr; }, "the import preview");
  auto* preview = qobject_cast<ui::ImportDialog*>(shown);
  REQUIRE(preview != nullptr);
  CHECK(preview->fingerprint_label()->text().contains(
      QString::fromStdString(crypto::fingerprint(tokyo.public_key())).section(' ', 0, 0)));
  preview->reject();
}

TEST_CASE("errors a user can cause read as sentences in the user's language") {
  for (int i = 1; i <= static_cast<int>(ErrorCode::kLast); ++i) {
    CAPTURE(i);
    CHECK_FALSE(ui::error_text(static_cast<ErrorCode>(i), {"x", "3", "60"}).isEmpty());
  }
  try {
    net::parse_endpoint_or_throw("");
    FAIL("an empty address was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kEndpointEmpty);
    CHECK(ui::error_text(e).toStdString() != e.what());  // not the raw "endpoint is empty"
  }
  ui::set_language("zh_CN");
  try {
    net::parse_endpoint_or_throw("192.0.2.7");
  } catch (const Error& e) {
    const QString text = ui::error_text(e);
    ui::set_language("en");
    CAPTURE(text.toStdString());
    CHECK_FALSE(text.contains("port"));
    CHECK(text.contains("192.0.2.7"));
  }
  ui::set_language("en");
  CHECK(ui::startup_language("zh_CN", "en") == "zh_CN");  // --language wins over the setting
  CHECK(ui::startup_language("", "zh_CN") == "zh_CN");
}

TEST_CASE("the unlock dialog shows the whole of a long refusal") {
  ConsoleSet set({"Beijing"});
  UiConsole& bj = set[0];
  ui::UnlockDialog dialog(bj.window->roles(), store::Role::kOperator, bj.window.get());
  dialog.show();
  // Wrong passphrases until the role locks: the longest sentence the dialog shows.
  for (int i = 0; i < 6; ++i) {
    dialog.passphrase()->setText("wrong");
    QTest::mouseClick(dialog.unlock_button(), Qt::LeftButton);
    wait_until([&] { return !dialog.error()->text().contains("…"); }, "the passphrase check");
  }
  QApplication::processEvents();
  QLabel* error = dialog.error();
  CAPTURE(error->text().toStdString());
  CHECK(error->text().contains("s"));
  CHECK(error->height() >= error->heightForWidth(error->width()));
  CHECK(dialog.height() >= dialog.minimumSizeHint().height());
}

TEST_CASE(
    "a call with a long-named peer fits the window: the name wraps, nothing scrolls sideways") {
  const std::string long_name = "Ministry of National Defence Operations Centre Singapore";
  ConsoleSet set({"Beijing", long_name});
  UiConsole& bj = set[0];
  bj.window->resize(ui::MainWindow::initial_size(QRect(0, 0, 960, 510)));
  wait_for_tile(bj, long_name.c_str());
  click(bj.page().tile(QString::fromStdString(long_name))->call_button());
  wait_until([&] { return set[1].calls().ringing_incoming(); }, "the call to ring");
  QApplication::processEvents();
  // The defect: the name's label made the panel wider than the window (scrolled sideways).
  CHECK(bj.panel().minimumSizeHint().width() <= bj.window->width());
  CHECK(bj.panel().peer_label()->lines_at(bj.panel().peer_label()->width()).join(" ") ==
        QString::fromStdString(long_name));
  click(bj.panel().hangup_button());
  wait_until([&] { return !bj.calls().active(); }, "the call to end");
}
