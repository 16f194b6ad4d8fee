#include "ui/peer_dialogs.hpp"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "core/admin/audit_trail.hpp"
#include "core/identity/peer_card.hpp"
#include "ui/error_text.hpp"

namespace hotline::ui {

QLabel* make_fingerprint_label(const QString& fingerprint, QWidget* parent) {
  // 12 groups of 5 digits, three lines of four: easy to read aloud.
  QStringList groups = fingerprint.split(' ', Qt::SkipEmptyParts);
  QString text;
  for (int i = 0; i < groups.size(); ++i) {
    text += groups[i] + (i % 4 == 3 ? "\n" : "  ");
  }
  auto* label = new QLabel(text.trimmed(), parent);
  QFont mono("Monospace");
  mono.setStyleHint(QFont::Monospace);
  mono.setPointSizeF(label->font().pointSizeF() * 1.6);
  mono.setBold(true);
  label->setFont(mono);
  label->setAlignment(Qt::AlignCenter);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setAccessibleName(QCoreApplication::translate("PeersPage", "Fingerprint"));
  return label;
}

ImportDialog::ImportDialog(const admin::ImportPreview& p, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Import a peer card"));
  auto* layout = new QVBoxLayout(this);
  const QString name = QString::fromStdString(p.card.name);
  auto* title = new QLabel("<h2>" + name.toHtmlEscaped() + "</h2>", this);
  layout->addWidget(title);
  QStringList endpoints;
  for (const auto& e : p.endpoints) endpoints << QString::fromStdString(e.to_string());
  layout->addWidget(new QLabel(tr("Addresses: %1").arg(endpoints.join(", ")), this));
  layout->addWidget(new QLabel(tr("Fingerprint of the key on this card:"), this));
  fingerprint_ = make_fingerprint_label(QString::fromStdString(p.fingerprint), this);
  layout->addWidget(fingerprint_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  import_ = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
  if (p.kind == admin::ImportPreview::Kind::kKeyChange) {
    replace_ = true;
    auto* warning = new QLabel(
        "<p style='color:#C62828'><b>" +
            tr("WARNING: %1 is already in the directory with a "
               "DIFFERENT key.")
                .arg(name.toHtmlEscaped()) +
            "</b></p><p>" +
            tr("Old fingerprint: %1").arg(QString::fromStdString(p.old_fingerprint)) + "</p><p>" +
            tr("Replace the key only if the other side's administrator has told you, by voice on "
               "a channel you trust, that their console has a new key. Otherwise this card may "
               "come from an impostor.") +
            "</p>",
        this);
    warning->setWordWrap(true);
    layout->addWidget(warning);
    auto* sure = new QCheckBox(tr("I confirmed the new key with the other side by voice"), this);
    layout->addWidget(sure);
    import_->setText(tr("Replace the key"));
    import_->setEnabled(false);
    connect(sure, &QCheckBox::toggled, import_, &QPushButton::setEnabled);
  } else {
    layout->addWidget(new QLabel(
        tr("The peer is stored as unverified. Next, compare the fingerprint with the other "
           "side."),
        this));
  }
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(import_, &QPushButton::clicked, this, &QDialog::accept);
}

VerifyDialog::VerifyDialog(const QString& peer, const QString& fingerprint, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Verify %1").arg(peer));
  auto* layout = new QVBoxLayout(this);
  auto* how = new QLabel(
      tr("Call the administrator of %1 on a channel you trust and read these 60 digits to each "
         "other. Mark the peer verified only if every digit matches.")
          .arg(peer),
      this);
  how->setWordWrap(true);
  layout->addWidget(how);
  layout->addWidget(make_fingerprint_label(fingerprint, this));
  layout->addWidget(new QLabel(tr("Compared by:"), this));
  // Not prefilled with the login name (an account such as "root" says nothing of who read
  // the digits): the administrator types who did, and only then can mark it verified.
  by_ = new QLineEdit(this);
  by_->setPlaceholderText(tr("The name of whoever read the digits"));
  by_->setAccessibleName(tr("Who compared the fingerprint"));
  layout->addWidget(by_);
  auto* buttons = new QDialogButtonBox(this);
  verified_ =
      buttons->addButton(tr("The digits match: mark verified"), QDialogButtonBox::AcceptRole);
  buttons->addButton(tr("Later"), QDialogButtonBox::RejectRole);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(verified_, &QPushButton::clicked, this, &QDialog::accept);
  verified_->setEnabled(false);
  connect(by_, &QLineEdit::textChanged, this,
          [this] { verified_->setEnabled(!by_->text().trimmed().isEmpty()); });
}

EndpointsDialog::EndpointsDialog(const QString& peer, const QString& current, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Addresses of %1").arg(peer));
  auto* layout = new QVBoxLayout(this);
  auto* how = new QLabel(tr("One to four addresses as HOST:PORT, separated by spaces or commas, "
                            "for example 192.0.2.7:47000, [2001:db8::7]:47000"),
                         this);
  how->setWordWrap(true);
  layout->addWidget(how);
  field_ = new QLineEdit(current, this);
  field_->setAccessibleName(tr("Addresses"));
  layout->addWidget(field_);
  problem_ = new QLabel(this);
  problem_->setWordWrap(true);
  problem_->setStyleSheet("color: #C62828;");
  problem_->setVisible(false);
  layout->addWidget(problem_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  ok_ = buttons->button(QDialogButtonBox::Ok);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons, &QDialogButtonBox::accepted, this, &EndpointsDialog::check_and_accept);
  setMinimumWidth(460);
}

void EndpointsDialog::check_and_accept() {
  static const QRegularExpression separators("[\\s,;]+");
  const QStringList parts = field_->text().split(separators, Qt::SkipEmptyParts);
  std::vector<net::Endpoint> endpoints;
  QString problem;
  if (parts.isEmpty() || parts.size() > static_cast<int>(identity::kMaxCardEndpoints)) {
    problem = tr("Give one to %1 addresses.").arg(identity::kMaxCardEndpoints);
  }
  for (const QString& part : parts) {
    if (!problem.isEmpty()) break;
    try {
      endpoints.push_back(net::parse_endpoint_or_throw(part.toStdString()));
    } catch (const Error& e) {
      problem = error_text(e);
    }
  }
  problem_->setText(problem);
  problem_->setVisible(!problem.isEmpty());
  if (!problem.isEmpty()) {
    field_->setFocus();
    return;
  }
  endpoints_ = std::move(endpoints);
  accept();
}

}  // namespace hotline::ui
