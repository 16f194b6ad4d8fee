#pragma once
// The administrator's directory: import a peer card (file dialog, drag and drop, or paste)
// with a preview of what will be stored and its fingerprint first, then a verification step
// in which the fingerprint is compared with the other side and marked verified; edit
// endpoints, set or rotate the pre-shared key, disable or enable, remove, replace a key (with a
// strong warning); export this console's own card to a file and show it as a QR code.

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>

#include "ui/console_session.hpp"
#include "ui/peer_dialogs.hpp"

namespace hotline::ui {

class PeersPage : public QWidget {
  Q_OBJECT

 public:
  PeersPage(ConsoleSession& session, QWidget* parent = nullptr);

  void reload();
  // The import flow for a card's text, from any source; shows the preview dialog.
  void import_text(const QString& card_text);
  // The Addresses dialog for the selected peer.
  void edit_endpoints();
  // Text from the clipboard: the card is looked for in it (identity::card_from_pasted_text).
  void import_pasted(const QString& pasted);
  // A card file chosen or dropped: read (if it is small enough to be one), then imported.
  void import_file(const QString& path);
  static constexpr qint64 kMaxCardFileBytes = 64 * 1024;
  // The table's columns, trust before the long fingerprint.
  enum Column { kName, kVerifiedBy, kState, kAddresses, kFingerprint, kColumnCount };
  QTableWidget* table() const { return table_; }
  QLabel* status() const { return status_; }
  QLabel* own_fingerprint() const { return own_fingerprint_; }

 signals:
  void importPreviewShown(QDialog* dialog);  // for tests: the dialog about to be shown
  void endpointsDialogShown(EndpointsDialog* dialog);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  // Asks before a change that refuses a peer's calls; the safe answer is the default.
  void confirm(const QString& title, const QString& text, const QString& action,
               std::function<void()> then);
  QString selected() const;
  void after_change(const QString& message);
  void verify_flow(const QString& peer, const QString& fingerprint);
  void psk_menu();
  void toggle_enabled();
  void set_enabled(const QString& peer, bool enable);
  void remove_peer();
  void remove_now(const QString& peer);
  void export_own_card();
  void show_qr();

  ConsoleSession& session_;
  QLabel* own_fingerprint_;
  QTableWidget* table_;
  QLabel* status_;
  std::vector<PeerInfo> peers_;
  QPointer<QMessageBox> question_;

 public:
  // The question asked before disabling or removing a peer, while it is open.
  QMessageBox* question() const { return question_; }
};

}  // namespace hotline::ui
