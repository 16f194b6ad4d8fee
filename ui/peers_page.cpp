#include "ui/peers_page.hpp"

#include <qrencode.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>
#include <fstream>

#include "core/admin/audit_trail.hpp"
#include "core/identity/pasted_card.hpp"

namespace hotline::ui {
namespace {

QImage qr_image(const QString& text, int module_px) {
  const QByteArray utf8 = text.toUtf8();
  QRcode* code = QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M);
  if (!code) return {};
  const int margin = 4;
  const int size = (code->width + 2 * margin) * module_px;
  QImage image(size, size, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setPen(Qt::NoPen);
  painter.setBrush(Qt::black);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        painter.drawRect((x + margin) * module_px, (y + margin) * module_px, module_px, module_px);
      }
    }
  }
  QRcode_free(code);
  return image;
}

}  // namespace

PeersPage::PeersPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), session_(session) {
  setAcceptDrops(true);
  auto* layout = new QVBoxLayout(this);
  // The administrator reads this console's own fingerprint to the other side when verifying,
  // so it is on the page, not only in a tooltip and the QR dialog.
  own_fingerprint_ =
      new QLabel(tr("This console, %1 — fingerprint: %2")
                     .arg(session_.info().name.toHtmlEscaped(), session_.info().fingerprint),
                 this);
  own_fingerprint_->setWordWrap(true);
  own_fingerprint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  own_fingerprint_->setAccessibleName(tr("This console's fingerprint"));
  layout->addWidget(own_fingerprint_);
  auto* hint = new QLabel(tr("Drop a peer card file here, or use the buttons below."), this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  // Trust first: at 800 px the verification column was off-screen behind the fingerprints.
  table_ = new QTableWidget(0, kColumnCount, this);
  table_->setHorizontalHeaderLabels(
      {tr("Name"), tr("Verified by"), tr("State"), tr("Addresses"), tr("Fingerprint")});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setObjectName("peerTable");
  table_->setTextElideMode(Qt::ElideMiddle);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->setAccessibleName(tr("Peer directory"));
  layout->addWidget(table_, 1);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  // Two rows, so that the page fits an 800 px window in every language: what is done to the
  // selected peer, then cards coming in and going out.
  auto* row1 = new QHBoxLayout;
  auto* verify = new QPushButton(QIcon(":/icons/verified.svg"), tr("Verify…"), this);
  auto* endpoints = new QPushButton(tr("Addresses…"), this);
  auto* psk = new QPushButton(QIcon(":/icons/key.svg"), tr("Pre-shared key…"), this);
  auto* enable = new QPushButton(tr("Disable / enable"), this);
  auto* remove = new QPushButton(tr("Remove…"), this);
  for (QPushButton* b : {verify, endpoints, psk, enable, remove}) row1->addWidget(b);
  row1->addStretch();
  layout->addLayout(row1);
  auto* row2 = new QHBoxLayout;
  auto* from_file = new QPushButton(QIcon(":/icons/import.svg"), tr("Import card…"), this);
  auto* paste = new QPushButton(tr("Paste card"), this);
  auto* own = new QPushButton(QIcon(":/icons/export.svg"), tr("Export this console's card…"), this);
  auto* qr = new QPushButton(QIcon(":/icons/qr.svg"), tr("Show as QR code"), this);
  qr->setToolTip(tr("Show this console's card as a QR code"));
  for (QPushButton* b : {from_file, paste, own, qr}) row2->addWidget(b);
  row2->addStretch();
  layout->addLayout(row2);

  connect(from_file, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a peer card"), QString(),
                                                      tr("Peer cards (*.card);;All files (*)"));
    if (!path.isEmpty()) import_file(path);
  });
  connect(paste, &QPushButton::clicked, this,
          [this] { import_pasted(QApplication::clipboard()->text()); });
  connect(verify, &QPushButton::clicked, this, [this] {
    for (const auto& p : peers_) {
      if (QString::fromStdString(p.name) == selected()) {
        verify_flow(selected(), QString::fromStdString(p.fingerprint));
      }
    }
  });
  connect(endpoints, &QPushButton::clicked, this, &PeersPage::edit_endpoints);
  connect(psk, &QPushButton::clicked, this, &PeersPage::psk_menu);
  connect(enable, &QPushButton::clicked, this, &PeersPage::toggle_enabled);
  connect(remove, &QPushButton::clicked, this, &PeersPage::remove_peer);
  connect(own, &QPushButton::clicked, this, &PeersPage::export_own_card);
  connect(qr, &QPushButton::clicked, this, &PeersPage::show_qr);
  connect(&session_, &ConsoleSession::directoryChanged, this, &PeersPage::reload);
}

void PeersPage::reload() {
  session_.run<std::vector<PeerInfo>>(
      [](ConsoleBackend& b) { return b.peers(); }, this,
      [this](Outcome<std::vector<PeerInfo>> out) {
        if (!out.ok()) return;
        const QString keep = selected();
        peers_ = std::move(*out.value);
        table_->setRowCount(static_cast<int>(peers_.size()));
        for (int i = 0; i < static_cast<int>(peers_.size()); ++i) {
          const PeerInfo& p = peers_[static_cast<std::size_t>(i)];
          QStringList addresses;
          for (const auto& e : p.endpoints) addresses << QString::fromStdString(e);
          QStringList state;
          state << (p.enabled ? tr("enabled") : tr("DISABLED"));
          if (p.has_psk) state << tr("pre-shared key");
          if (p.refused_probes > 0) {
            state << tr("%n refused line-status probe(s)", nullptr,
                        static_cast<int>(std::min<std::int64_t>(p.refused_probes, INT_MAX)));
          }
          const QStringList cells = {
              QString::fromStdString(p.name),
              p.verified ? QString::fromStdString(p.verified_by) : tr("NOT VERIFIED"),
              state.join(", "), addresses.join(", "), QString::fromStdString(p.fingerprint)};
          for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);  // the cell may be elided
            table_->setItem(i, c, item);
          }
          if (!p.verified) table_->item(i, kVerifiedBy)->setIcon(QIcon(":/icons/unverified.svg"));
          if (cells[0] == keep) table_->selectRow(i);
        }
        table_->resizeColumnsToContents();
        // Fingerprints are long; the last column takes what is left and elides in the middle.
        for (int c = 0; c < kFingerprint; ++c)
          table_->setColumnWidth(c, std::min(table_->columnWidth(c), 220));
      });
}

QString PeersPage::selected() const {
  const int row = table_->currentRow();
  return row >= 0 && table_->item(row, 0) ? table_->item(row, 0)->text() : QString();
}

void PeersPage::after_change(const QString& message) {
  status_->setText(message);
  emit session_.directoryChanged();
}

void PeersPage::import_pasted(const QString& pasted) {
  import_text(QString::fromStdString(identity::card_from_pasted_text(pasted.toStdString())));
}

void PeersPage::import_text(const QString& card_text) {
  const std::string text = card_text.toStdString();
  session_.run<admin::ImportPreview>(
      [text](ConsoleBackend& b) { return b.administration.preview_import(text, std::nullopt); },
      this,
      [this, text](Outcome<admin::ImportPreview> out) {
        if (!out.ok()) {
          // Nothing was stored: the card's own problem, precisely. (Not modal: a result
          // callback must not wait in a nested event loop.)
          auto* box = new QMessageBox(QMessageBox::Warning, tr("This card cannot be imported"),
                                      out.error, QMessageBox::Ok, this);
          box->setAttribute(Qt::WA_DeleteOnClose);
          box->open();
          status_->setText(tr("Not imported: %1").arg(out.error));
          return;
        }
        const admin::ImportPreview preview = *out.value;
        if (preview.kind == admin::ImportPreview::Kind::kAlreadyKnown) {
          status_->setText(tr("This key is already in the directory as %1.")
                               .arg(QString::fromStdString(preview.existing_name)));
          return;
        }
        auto* dialog = new ImportDialog(preview, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const bool replace = dialog->replace_key();
        const QString fingerprint = QString::fromStdString(preview.fingerprint);
        connect(dialog, &QDialog::accepted, this, [this, text, replace, fingerprint] {
          session_.run<std::string>(
              [text, replace](ConsoleBackend& b) {
                const std::string name = b.administration.import_card(
                    b.grant(store::Role::kAdministrator), text, std::nullopt, replace);
                b.directory_changed();
                return name;
              },
              this,
              [this, fingerprint](Outcome<std::string> done) {
                if (!done.ok()) {
                  status_->setText(done.error);
                  return;
                }
                const QString name = QString::fromStdString(*done.value);
                after_change(tr("%1 imported, not verified yet.").arg(name));
                verify_flow(name, fingerprint);
              });
        });
        emit importPreviewShown(dialog);
        dialog->open();
      });
}

void PeersPage::verify_flow(const QString& peer, const QString& fingerprint) {
  auto* dialog = new VerifyDialog(peer, fingerprint, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, peer, dialog] {
    const std::string name = peer.toStdString();
    const std::string by = dialog->by().toStdString();
    session_.run<bool>(
        [name, by](ConsoleBackend& b) {
          b.administration.verify(b.grant(store::Role::kAdministrator), name,
                                  by.empty() ? std::nullopt : std::optional<std::string>(by));
          b.directory_changed();
          return true;
        },
        this,
        [this, peer](Outcome<bool> out) {
          after_change(out.ok() ? tr("%1 is verified.").arg(peer) : out.error);
        });
  });
  emit importPreviewShown(dialog);
  dialog->open();
}

void PeersPage::edit_endpoints() {
  const QString peer = selected();
  if (peer.isEmpty()) return;
  QStringList current;
  for (const auto& p : peers_) {
    if (QString::fromStdString(p.name) != peer) continue;
    for (const auto& e : p.endpoints) current << QString::fromStdString(e);
  }
  auto* dialog = new EndpointsDialog(peer, current.join(", "), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, peer] {
    const std::string name = peer.toStdString();
    session_.run<bool>(
        [name, endpoints = dialog->endpoints()](ConsoleBackend& b) {
          b.administration.set_endpoints(b.grant(store::Role::kAdministrator), name, endpoints);
          b.directory_changed();
          return true;
        },
        this,
        [this, peer](Outcome<bool> out) {
          after_change(out.ok() ? tr("Addresses of %1 changed.").arg(peer) : out.error);
        });
  });
  emit endpointsDialogShown(dialog);
  dialog->open();
}

void PeersPage::psk_menu() {
  const QString peer = selected();
  if (peer.isEmpty()) return;
  QMenu menu(this);
  QAction* generate = menu.addAction(tr("Generate a new key (shown once)"));
  QAction* from_file = menu.addAction(tr("Set the key from a file…"));
  menu.addAction(tr("Remove the key"));
  QAction* chosen = menu.exec(QCursor::pos());
  if (!chosen) return;
  const std::string name = peer.toStdString();
  if (chosen == generate) {
    session_.run<std::string>(
        [name](ConsoleBackend& b) {
          const crypto::SecretKey psk =
              b.administration.generate_psk(b.grant(store::Role::kAdministrator), name);
          b.directory_changed();
          return admin::format_psk(psk);
        },
        this,
        [this, peer](Outcome<std::string> out) {
          if (!out.ok()) {
            status_->setText(out.error);
            return;
          }
          auto* box = new QMessageBox(
              QMessageBox::Information, tr("New pre-shared key for %1").arg(peer),
              tr("Hand this key to the other side's administrator out of band. It is shown only "
                 "now. Calls fail until both sides have it."),
              QMessageBox::Ok, this);
          box->setDetailedText(QString::fromStdString(*out.value));
          box->setTextInteractionFlags(Qt::TextSelectableByMouse);
          box->setAttribute(Qt::WA_DeleteOnClose);
          box->open();
          std::fill(out.value->begin(), out.value->end(), '\0');
          after_change(tr("Pre-shared key of %1 set.").arg(peer));
        });
  } else if (chosen == from_file) {
    const QString path = QFileDialog::getOpenFileName(this, tr("Pre-shared key file"));
    if (path.isEmpty()) return;
    const std::string file = path.toStdString();
    session_.run<bool>(
        [name, file](ConsoleBackend& b) {
          std::ifstream in(file, std::ios::binary);
          std::string text((std::istreambuf_iterator<char>(in)), {});
          if (!in && !in.eof()) throw Error("cannot read " + file);
          const crypto::SecretKey psk = admin::parse_psk(text);
          std::fill(text.begin(), text.end(), '\0');
          b.administration.set_psk(b.grant(store::Role::kAdministrator), name, psk);
          b.directory_changed();
          return true;
        },
        this,
        [this, peer](Outcome<bool> out) {
          after_change(out.ok() ? tr("Pre-shared key of %1 set.").arg(peer) : out.error);
        });
  } else {
    session_.run<bool>(
        [name](ConsoleBackend& b) {
          b.administration.clear_psk(b.grant(store::Role::kAdministrator), name);
          b.directory_changed();
          return true;
        },
        this,
        [this, peer](Outcome<bool> out) {
          after_change(out.ok() ? tr("Pre-shared key of %1 removed.").arg(peer) : out.error);
        });
  }
}

void PeersPage::confirm(const QString& title, const QString& text, const QString& action,
                        std::function<void()> then) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::NoButton, this);
  QPushButton* go = box->addButton(action, QMessageBox::DestructiveRole);
  QPushButton* cancel = box->addButton(QMessageBox::Cancel);
  box->setDefaultButton(cancel);
  box->setEscapeButton(cancel);
  box->setAttribute(Qt::WA_DeleteOnClose);
  connect(box, &QMessageBox::finished, this, [box, go, then] {
    if (box->clickedButton() == go) then();
  });
  question_ = box;
  box->open();
}

void PeersPage::toggle_enabled() {
  const QString peer = selected();
  if (peer.isEmpty()) return;
  bool enabled = true;
  for (const auto& p : peers_) {
    if (QString::fromStdString(p.name) == peer) enabled = p.enabled;
  }
  if (!enabled) {
    set_enabled(peer, true);
  } else if (!question_) {
    confirm(tr("Disable %1?").arg(peer),
            tr("Disable %1? Its calls are refused, and it cannot be called, until it is enabled "
               "again.")
                .arg(peer),
            tr("Disable"), [this, peer] { set_enabled(peer, false); });
  }
}

void PeersPage::set_enabled(const QString& peer, bool enable) {
  const std::string name = peer.toStdString();
  session_.run<bool>(
      [name, enable](ConsoleBackend& b) {
        b.administration.set_enabled(b.grant(store::Role::kAdministrator), name, enable);
        b.directory_changed();
        return true;
      },
      this,
      [this, peer, enable](Outcome<bool> out) {
        after_change(!out.ok() ? out.error
                     : enable  ? tr("%1 is enabled.").arg(peer)
                               : tr("%1 is disabled: its calls are refused.").arg(peer));
      });
}

void PeersPage::remove_peer() {
  const QString peer = selected();
  if (peer.isEmpty() || question_) return;
  confirm(tr("Remove %1?").arg(peer),
          tr("Remove %1 from the directory? Its calls will be refused. The call "
             "history keeps its name and fingerprint.")
              .arg(peer),
          tr("Remove"), [this, peer] { remove_now(peer); });
}

void PeersPage::remove_now(const QString& peer) {
  const std::string name = peer.toStdString();
  session_.run<bool>(
      [name](ConsoleBackend& b) {
        b.administration.remove(b.grant(store::Role::kAdministrator), name);
        b.directory_changed();
        return true;
      },
      this,
      [this, peer](Outcome<bool> out) {
        after_change(out.ok() ? tr("%1 removed.").arg(peer) : out.error);
      });
}

void PeersPage::export_own_card() {
  const QString card = session_.info().card;
  if (card.isEmpty()) {
    status_->setText(
        tr("This console listens on every address: set the address peers reach in "
           "the settings before exporting its card."));
    return;
  }
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export this console's card"),
                                   session_.info().name + ".card", tr("Peer cards (*.card)"));
  if (path.isEmpty()) return;
  const std::string file = path.toStdString();
  const std::string text = card.toStdString();
  session_.run<bool>(
      [file, text](ConsoleBackend&) {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) throw Error(ErrorCode::kFileNotWritable, "cannot write " + file, {file});
        return true;
      },
      this,
      [this, path](Outcome<bool> out) {
        status_->setText(out.ok() ? tr("Card written to %1").arg(path) : out.error);
      });
}

void PeersPage::show_qr() {
  const QString card = session_.info().card;
  if (card.isEmpty()) return export_own_card();
  QDialog dialog(this);
  dialog.setWindowTitle(tr("This console's card"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* image = new QLabel(&dialog);
  image->setPixmap(QPixmap::fromImage(qr_image(card, 4)));
  image->setAlignment(Qt::AlignCenter);
  image->setAccessibleName(tr("QR code of this console's card"));
  layout->addWidget(image);
  layout->addWidget(new QLabel(tr("Fingerprint:"), &dialog));
  layout->addWidget(make_fingerprint_label(session_.info().fingerprint, &dialog));
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
  connect(close, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(close);
  dialog.exec();
}

void PeersPage::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() || event->mimeData()->hasText()) event->acceptProposedAction();
}

void PeersPage::import_file(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    status_->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
    return;
  }
  if (file.size() > kMaxCardFileBytes) {
    status_->setText(tr("%1 is too large to be a peer card (%2 bytes; a card is about one "
                        "kilobyte).")
                         .arg(path)
                         .arg(file.size()));
    return;
  }
  import_text(QString::fromUtf8(file.readAll()));
}

void PeersPage::dropEvent(QDropEvent* event) {
  const QMimeData* mime = event->mimeData();
  if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile()) {
    import_file(mime->urls().front().toLocalFile());
  } else if (mime->hasText()) {
    import_text(mime->text());
  }
  event->acceptProposedAction();
}

}  // namespace hotline::ui
