// In Chinese, every string the windows show is Chinese: a walk over every widget of every
// page (both roles unlocked) and the dialogs the pages open, collecting the texts a user
// reads, and refusing English words among them. This catches strings that never pass
// through tr() (lupdate cannot see those, so the translations test alone does not).

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextEdit>
#include <QWizard>
#include <catch2/catch_test_macros.hpp>
#include <functional>

#include "tests/ui/console_fixture.hpp"
#include "ui/audit_page.hpp"
#include "ui/first_run_wizard.hpp"
#include "ui/history_page.hpp"
#include "ui/language.hpp"
#include "ui/peer_dialogs.hpp"
#include "ui/peers_page.hpp"
#include "ui/settings_page.hpp"

using namespace hotline;
using namespace hotline::test;

namespace {

// Words that are the same in both languages: names of peers and people (the fixture's
// consoles, and "test", who verified their keys), formats, units, protocols.
const QStringList kSameInEveryLanguage = {
    "test", "Beijing", "Singapore", "Hotline", "Console", "PDF",  "CSV", "JSON", "QR",
    "IPv4", "IPv6",    "Opus",      "kb",      "ms",      "dBFS", "SAS", "HOST", "PORT",
    "Ctrl", "Shift",   "Enter",     "Esc",     "Alt",     "XDG",  "UTF", "Tab",  "Space"};

QStringList english_words(const QString& text) {
  static const QRegularExpression word("[A-Za-z]{3,}");
  QStringList out;
  QString plain = text;
  plain.remove(QRegularExpression("<[^>]*>"));    // rich text markup
  plain.remove(QRegularExpression("\\S*/\\S*"));  // file and resource paths
  plain.remove("hotline-card");                   // the card format's first line
  for (auto it = word.globalMatch(plain); it.hasNext();) {
    const QString w = it.next().captured();
    if (!kSameInEveryLanguage.contains(w)) out << w;
  }
  return out;
}

// Cells holding what people typed: the audit log's "Who" and who verified a peer's key.
bool verbatim(const QAbstractItemView* view, int column) {
  if (view->objectName() == "auditTable") return column == 3;
  return view->objectName() == "peerTable" && column == ui::PeersPage::kVerifiedBy;
}

void collect(QWidget* root, QStringList& found) {
  const auto check = [&](const QString& where, const QString& text) {
    const QStringList words = english_words(text);
    if (!words.isEmpty()) found << where + ": " + text.left(120) + "  [" + words.join(" ") + "]";
  };
  for (QWidget* w : root->findChildren<QWidget*>()) {
    if (!w->isVisibleTo(root)) continue;
    const QString kind = w->metaObject()->className();
    if (auto* l = qobject_cast<QLabel*>(w)) check(kind, l->text());
    if (auto* b = qobject_cast<QAbstractButton*>(w)) check(kind, b->text());
    if (auto* g = qobject_cast<QGroupBox*>(w)) check(kind, g->title());
    if (auto* e = qobject_cast<QLineEdit*>(w)) check(kind + " placeholder", e->placeholderText());
    if (auto* t = qobject_cast<QTabWidget*>(w)) {
      for (int i = 0; i < t->count(); ++i) check("tab", t->tabText(i));
    }
    if (auto* c = qobject_cast<QComboBox*>(w); c && !c->isEditable()) {
      for (int i = 0; i < c->count(); ++i) {
        // Each language is named in itself, English included.
        if (c->itemData(i).toString() != "en") check("choice", c->itemText(i));
      }
    }
    if (auto* v = qobject_cast<QAbstractItemView*>(w);
        v && v->model() && !qobject_cast<QHeaderView*>(w)) {
      const QAbstractItemModel* m = v->model();
      for (int r = 0; r < std::min(m->rowCount(), 50); ++r) {
        for (int c = 0; c < m->columnCount(); ++c) {
          if (!verbatim(v, c)) check("cell", m->index(r, c).data().toString());
        }
      }
    }
    if (auto* h = qobject_cast<QHeaderView*>(w); h && h->model()) {
      for (int i = 0; i < h->count(); ++i)
        check("header", h->model()->headerData(i, h->orientation()).toString());
    }
    if (!w->toolTip().isEmpty()) check(kind + " tooltip", w->toolTip());
    if (!w->accessibleName().isEmpty()) check(kind + " accessible name", w->accessibleName());
  }
}

}  // namespace

TEST_CASE("in Chinese, no page shows an English word") {
  ui::set_language("zh_CN");
  {
    ConsoleSet set({"Beijing", "Singapore"});
    UiConsole& bj = set[0];
    bj.unlock(store::Role::kOperator, kOperatorPassphrase);
    bj.unlock(store::Role::kAdministrator, kAdminPassphrase);
    ignore_worker_leaks(bj);
    // Each page once its background load has filled it.
    const std::function<bool()> loaded[] = {
        [&] { return bj.page().tile("Singapore") && bj.page().recent_calls()->count() > 0; },
        [&] { return bj.window->history_page()->peer_filter()->count() > 1; },
        [&] { return bj.window->peers_page()->table()->rowCount() == 1; },
        [&] { return bj.window->audit_page()->table()->rowCount() > 0; },
        [&] { return bj.window->settings_page()->form()->isEnabled(); },
    };
    QStringList found;
    for (int tab = 0; tab < bj.window->tabs()->count(); ++tab) {
      bj.window->tabs()->setCurrentIndex(tab);
      CAPTURE(tab);
      wait_until(loaded[tab], "the page to load");
      collect(bj.window.get(), found);
    }
    // A dialog and errors from core: a mistyped address, a card that is no card.
    ui::PeersPage& peers = *bj.window->peers_page();
    bj.window->tabs()->setCurrentIndex(2);
    peers.table()->selectRow(0);
    ui::EndpointsDialog* dialog = nullptr;
    QObject::connect(&peers, &ui::PeersPage::endpointsDialogShown,
                     [&](ui::EndpointsDialog* d) { dialog = d; });
    peers.edit_endpoints();
    REQUIRE(dialog != nullptr);
    dialog->field()->setText("192.0.2.7:47000, 192.0.2.8");
    QTest::mouseClick(dialog->ok_button(), Qt::LeftButton);
    REQUIRE(dialog->problem()->isVisible());
    collect(dialog, found);
    dialog->reject();
    peers.import_text("Dear colleague, here is our card.");
    wait_until([&] { return !peers.status()->text().isEmpty(); }, "the refusal");
    collect(&peers, found);
    for (QWidget* w : QApplication::topLevelWidgets()) {
      if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
        collect(box, found);
        box->close();
      }
    }
    found.removeDuplicates();
    CAPTURE(found.join("\n").toStdString());
    CHECK(found.isEmpty());
  }
  ui::set_language("en");
}

TEST_CASE("in Chinese, Qt's own buttons are Chinese too (Qt's translations are loaded)") {
  ui::set_language("zh_CN");
  test::TempDir dir;
  ui::FirstRunWizard wizard(dir.path() / "profile");
  const QString next = wizard.button(QWizard::NextButton)->text();
  const QString cancel = wizard.button(QWizard::CancelButton)->text();
  QDialogButtonBox box(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  const QString box_cancel = box.button(QDialogButtonBox::Cancel)->text();
  ui::set_language("en");
  CAPTURE(next.toStdString(), cancel.toStdString(), box_cancel.toStdString());
  CHECK(english_words(next).isEmpty());
  CHECK(english_words(cancel).isEmpty());
  CHECK(english_words(box_cancel).isEmpty());
}
