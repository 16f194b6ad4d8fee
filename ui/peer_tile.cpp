#include "ui/peer_tile.hpp"

#include <QVBoxLayout>

#include "ui/texts.hpp"

namespace hotline::ui {

PeerTile::PeerTile(const PeerInfo* info, const QString& engine_name, QWidget* parent)
    : QFrame(parent), peer_(engine_name), echo_(info == nullptr) {
  setFrameShape(QFrame::StyledPanel);
  setObjectName("peerTile");
  setMinimumWidth(240);
  auto* layout = new QVBoxLayout(this);
  name_ = new NameLabel(echo_ ? tr("Echo Test") : engine_name, 4, this);
  QFont big = name_->font();
  big.setPointSizeF(big.pointSizeF() * 1.8);
  big.setBold(true);
  name_->setFont(big);
  layout->addWidget(name_);

  auto* trust = new QLabel(this);
  trust->setWordWrap(true);
  if (echo_) {
    trust->setText(tr("Hear yourself through the whole pipeline before a real call"));
  } else if (!info->enabled) {
    enabled_ = false;
    trust->setText(tr("Disabled by the administrator"));
  } else if (info->verified) {
    trust->setText(QString("<img src=':/icons/verified.svg' width=16 height=16> ") +
                   tr("Key verified"));
  } else {
    trust->setText(QString("<img src=':/icons/unverified.svg' width=16 height=16> <b>") +
                   tr("Key NOT verified") + "</b>");
  }
  layout->addWidget(trust);

  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  call_ = new QPushButton(QIcon(":/icons/call.svg"), echo_ ? tr("Test") : tr("Call"), this);
  call_->setObjectName("callButton");
  call_->setMinimumHeight(56);
  call_->setIconSize(QSize(28, 28));
  QFont button_font = call_->font();
  button_font.setPointSizeF(button_font.pointSizeF() * 1.4);
  call_->setFont(button_font);
  call_->setAccessibleName(echo_ ? tr("Call the Echo Test line") : tr("Call %1").arg(engine_name));
  call_->setEnabled(enabled_);
  layout->addWidget(call_);
  connect(call_, &QPushButton::clicked, this, [this] { emit callRequested(peer_); });
  setAccessibleName(echo_ ? tr("Echo Test") : engine_name);
  set_status(std::nullopt);
}

void PeerTile::set_status(const std::optional<call::PeerStatus>& s) {
  if (echo_) {
    status_->setText(QString("<img src=':/icons/online.svg' width=12 height=12> ") +
                     tr("Always available"));
    return;
  }
  if (!s) {
    status_->setText(QString("<img src=':/icons/offline.svg' width=12 height=12> ") +
                     tr("Line status not known yet"));
    return;
  }
  if (s->online) {
    // No round trip until this console's own probe has measured one (a console that was only
    // probed by the other side has none).
    status_->setText(QString("<img src=':/icons/online.svg' width=12 height=12> ") +
                     (s->rtt_ms > 0 ? tr("Online · round trip %1 ms").arg(s->rtt_ms, 0, 'f', 1)
                                    : tr("Online · round trip —")));
  } else if (s->last_seen_ms) {
    status_->setText(QString("<img src=':/icons/offline.svg' width=12 height=12> ") +
                     tr("Offline · last seen %1").arg(last_seen_text(*s->last_seen_ms)));
  } else {
    status_->setText(QString("<img src=':/icons/offline.svg' width=12 height=12> ") +
                     tr("Offline"));
  }
}

void PeerTile::set_callable(bool callable) {
  call_->setEnabled(enabled_ && callable);
}

}  // namespace hotline::ui
