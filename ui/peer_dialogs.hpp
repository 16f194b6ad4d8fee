#pragma once
// The administrator's dialogs around a peer card: the preview of an import and the
// verification step. Both show the fingerprint in three lines of four groups, for reading aloud.

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include "core/admin/administration.hpp"

namespace hotline::ui {

// The preview of an import: what the card says and what importing it does. For a new key of
// a known peer, a strong warning and a confirmation box that must be ticked.
class ImportDialog : public QDialog {
  Q_OBJECT

 public:
  ImportDialog(const admin::ImportPreview& preview, QWidget* parent = nullptr);
  QPushButton* import_button() const { return import_; }
  QLabel* fingerprint_label() const { return fingerprint_; }
  bool replace_key() const { return replace_; }

 private:
  QPushButton* import_;
  QLabel* fingerprint_;
  bool replace_ = false;
};

// The verification step: the fingerprint to read aloud, who compared it.
class VerifyDialog : public QDialog {
  Q_OBJECT

 public:
  VerifyDialog(const QString& peer, const QString& fingerprint, QWidget* parent = nullptr);
  QString by() const { return by_->text().trimmed(); }
  QPushButton* verified_button() const { return verified_; }
  QLineEdit* by_field() const { return by_; }

 private:
  QLineEdit* by_;
  QPushButton* verified_;
};

// A peer's addresses, one to four HOST:PORT separated by spaces, commas, semicolons or line
// breaks. OK checks them first: a mistake is named in a sentence under the field, and what
// was typed stays for correcting (the dialog used to close and lose it).
class EndpointsDialog : public QDialog {
  Q_OBJECT

 public:
  EndpointsDialog(const QString& peer, const QString& current, QWidget* parent = nullptr);
  QLineEdit* field() const { return field_; }
  QLabel* problem() const { return problem_; }
  QPushButton* ok_button() const { return ok_; }
  // Once accepted: the addresses in canonical form.
  const std::vector<net::Endpoint>& endpoints() const { return endpoints_; }

 private:
  void check_and_accept();

  QLineEdit* field_;
  QLabel* problem_;
  QPushButton* ok_;
  std::vector<net::Endpoint> endpoints_;
};

// A fingerprint set large for reading aloud: 12 groups of 5 digits, in three lines.
QLabel* make_fingerprint_label(const QString& fingerprint, QWidget* parent);

}  // namespace hotline::ui
