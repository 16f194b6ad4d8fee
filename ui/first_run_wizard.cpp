#include "ui/first_run_wizard.hpp"

#include <QAbstractButton>
#include <QFormLayout>
#include <QMessageBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/identity/peer_card.hpp"
#include "core/identity/profile.hpp"
#include "ui/error_text.hpp"

namespace hotline::ui {
namespace {

QLineEdit* secret(QWidget* parent, const QString& name) {
  auto* e = new QLineEdit(parent);
  e->setEchoMode(QLineEdit::Password);
  e->setAccessibleName(name);
  return e;
}

}  // namespace

// The last page: complete (Finish enabled) only once the profile exists.
class CreationPage : public QWizardPage {
 public:
  using QWizardPage::QWizardPage;
  bool isComplete() const override { return created_; }
  bool created() const { return created_; }
  void set_created() {
    created_ = true;
    emit completeChanged();
  }

 private:
  bool created_ = false;
};

FirstRunWizard::FirstRunWizard(std::filesystem::path profile_dir, QWidget* parent)
    : QWizard(parent), dir_(std::move(profile_dir)) {
  setWindowTitle(tr("Set up this Hotline Console"));
  setWindowIcon(QIcon(":/icons/hotline-console.svg"));

  auto* welcome = new QWizardPage(this);
  welcome->setTitle(tr("Welcome"));
  auto* wl = new QVBoxLayout(welcome);
  auto* intro = new QLabel(
      tr("This console has no identity yet. The next pages create one: a name the other side "
         "sees, the address it listens on, and the passphrases of the operator and the "
         "administrator roles. Officials need no passphrase to call and answer."),
      welcome);
  intro->setWordWrap(true);
  wl->addWidget(intro);
  addPage(welcome);

  auto* identity = new QWizardPage(this);
  identity->setTitle(tr("Identity"));
  auto* il = new QFormLayout(identity);
  name_ = new QLineEdit(identity);
  name_->setAccessibleName(tr("Console name"));
  listen_ = new QLineEdit("0.0.0.0:47000", identity);
  listen_->setAccessibleName(tr("Listening address"));
  il->addRow(tr("Console name (e.g. the ministry):"), name_);
  il->addRow(tr("Listening address (HOST:PORT):"), listen_);
  addPage(identity);

  auto* key = new QWizardPage(this);
  key->setTitle(tr("Key passphrase (optional)"));
  auto* kl = new QFormLayout(key);
  auto* key_note = new QLabel(
      tr("With a passphrase the console's secret key is stored encrypted, and the passphrase is "
         "asked for at every start. Leave both empty for a console that must start unattended — "
         "but then anyone who can read this computer's copy of the profile can use the key: place "
         "and answer calls as this console and sign its audit log."),
      key);
  key_note->setWordWrap(true);
  kl->addRow(key_note);
  key_ = secret(key, tr("Key passphrase"));
  key_again_ = secret(key, tr("Key passphrase again"));
  kl->addRow(tr("Passphrase:"), key_);
  kl->addRow(tr("Again:"), key_again_);
  addPage(key);

  auto* roles = new QWizardPage(this);
  roles->setTitle(tr("Role passphrases"));
  auto* rl = new QFormLayout(roles);
  operator_ = secret(roles, tr("Operator passphrase"));
  operator_again_ = secret(roles, tr("Operator passphrase again"));
  admin_ = secret(roles, tr("Administrator passphrase"));
  admin_again_ = secret(roles, tr("Administrator passphrase again"));
  rl->addRow(tr("Operator (reads the call history):"), operator_);
  rl->addRow(tr("Again:"), operator_again_);
  rl->addRow(tr("Administrator (keys and settings):"), admin_);
  rl->addRow(tr("Again:"), admin_again_);
  // Leaving this page creates the profile: no going back to it while that runs.
  roles->setCommitPage(true);
  roles->setButtonText(QWizard::CommitButton, tr("Create"));
  addPage(roles);

  auto* finish = creation_ = new CreationPage(this);
  finish->setTitle(tr("Creating the console"));
  auto* fl = new QVBoxLayout(finish);
  result_ = new QLabel(finish);
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  fl->addWidget(result_);
  addPage(finish);

  connect(&creating_, &QFutureWatcher<QString>::finished, this, [this] {
    const QString error = creating_.result();
    if (error.isEmpty()) {
      creation_->set_created();
      result_->setText(
          tr("The console is ready. Give its card to the other side's "
             "administrator (Peers page) and compare fingerprints by voice."));
    } else {
      // Nothing was written (Profile::create builds aside and renames): the entries can be
      // corrected and the profile created again.
      result_->setText(tr("The console could not be created: %1").arg(error));
      button(QWizard::BackButton)->setEnabled(true);
    }
  });
}

bool FirstRunWizard::validateCurrentPage() {
  const auto refuse = [this](const QString& why) {
    QMessageBox::warning(this, tr("Please check"), why);
    return false;
  };
  switch (currentId()) {
    case 1:
      if (name_->text().trimmed().isEmpty()) return refuse(tr("The console needs a name."));
      try {
        identity::validate_console_name(name_->text().trimmed().toStdString());
        net::parse_endpoint_or_throw(listen_->text().trimmed().toStdString());
      } catch (const std::exception& e) {
        return refuse(error_text(e));
      }
      return true;
    case 2:
      if (key_->text() != key_again_->text()) return refuse(tr("The two key passphrases differ."));
      if (!key_->text().isEmpty() && key_->text().size() < kMinPassphraseLength) {
        return refuse(tr("The key passphrase needs at least %1 characters (or none at all).")
                          .arg(kMinPassphraseLength));
      }
      return true;
    case 3: {
      if (operator_->text().isEmpty() || admin_->text().isEmpty()) {
        return refuse(tr("Both role passphrases are needed."));
      }
      if (operator_->text() != operator_again_->text()) {
        return refuse(tr("The operator passphrase and its repetition differ."));
      }
      if (admin_->text() != admin_again_->text()) {
        return refuse(tr("The administrator passphrase and its repetition differ."));
      }
      if (operator_->text().size() < kMinPassphraseLength ||
          admin_->text().size() < kMinPassphraseLength) {
        return refuse(
            tr("Each role passphrase needs at least %1 characters.").arg(kMinPassphraseLength));
      }
      if (operator_->text() == admin_->text()) {
        return refuse(tr("The operator and administrator passphrases must differ."));
      }
      if (!key_->text().isEmpty() &&
          (key_->text() == operator_->text() || key_->text() == admin_->text())) {
        // Whoever learns one must not hold the other: the key's unlocks the console, a role's
        // only its pages.
        return refuse(tr("The role passphrases must differ from the key passphrase."));
      }
      // Create it now, off the GUI thread; the last page shows the result.
      const std::string name = name_->text().trimmed().toStdString();
      const std::string listen = listen_->text().trimmed().toStdString();
      const std::string key = key_->text().toStdString();
      const std::string op = operator_->text().toStdString();
      const std::string ad = admin_->text().toStdString();
      const auto dir = dir_;
      result_->setText(tr("Creating the identity and hashing the passphrases…"));
      creating_.setFuture(QtConcurrent::run([=]() -> QString {
        try {
          auto profile = identity::Profile::create(
              dir, name, net::parse_endpoint_or_throw(listen),
              key.empty() ? std::nullopt : std::optional<std::string_view>(key));
          admin::AuditTrail audit(profile);
          admin::RoleGate gate(profile, audit);
          gate.set_first_passphrases(ad, op, admin::current_actor() + " (first run)");
          return {};
        } catch (const std::exception& e) {
          return error_text(e);
        }
      }));
      return true;
    }
    default:
      return true;
  }
}

void FirstRunWizard::done(int result) {
  if (result == QDialog::Accepted && !creation_->created()) return;  // still creating
  QWizard::done(result);
}

}  // namespace hotline::ui
