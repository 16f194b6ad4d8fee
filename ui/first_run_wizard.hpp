#pragma once
// The first start of a console without a profile: the console's name and listening address,
// an optional passphrase for its key, and the operator and administrator passphrases. The
// profile is created off the GUI thread (Argon2id takes a second or two).

#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QWizard>
#include <filesystem>

namespace hotline::ui {

class CreationPage;

class FirstRunWizard : public QWizard {
  Q_OBJECT

 public:
  // Shorter passphrases are refused: one character was accepted before.
  static constexpr int kMinPassphraseLength = 8;

  FirstRunWizard(std::filesystem::path profile_dir, QWidget* parent = nullptr);
  // The key passphrase chosen (to start the console with), if any.
  QString key_passphrase() const { return key_->text(); }

  QLineEdit* name_field() const { return name_; }
  QLineEdit* listen_field() const { return listen_; }
  QLineEdit* key_field() const { return key_; }
  QLineEdit* key_again_field() const { return key_again_; }
  QLineEdit* operator_field() const { return operator_; }
  QLineEdit* operator_again_field() const { return operator_again_; }
  QLineEdit* admin_field() const { return admin_; }
  QLineEdit* admin_again_field() const { return admin_again_; }

 protected:
  bool validateCurrentPage() override;
  void done(int result) override;

 private:
  std::filesystem::path dir_;
  QLineEdit* name_;
  QLineEdit* listen_;
  QLineEdit* key_;
  QLineEdit* key_again_;
  QLineEdit* operator_;
  QLineEdit* operator_again_;
  QLineEdit* admin_;
  QLineEdit* admin_again_;
  QLabel* result_;
  CreationPage* creation_;
  QFutureWatcher<QString> creating_;
};

}  // namespace hotline::ui
