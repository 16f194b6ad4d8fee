#include "ui/console_session.hpp"

#include "core/crypto/fingerprint.hpp"
#include "core/identity/peer_card.hpp"
#include "ui/queued_call.hpp"

namespace hotline::ui {

ConsoleSession::ConsoleSession(SessionOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)), worker_(new QObject) {
  thread_.setObjectName("console worker");
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.start();
}

ConsoleSession::~ConsoleSession() {
  run_on_and_wait(worker_, [this] { backend_.reset(); });
  thread_.quit();
  thread_.wait();
}

void ConsoleSession::start(std::optional<std::string> key_passphrase) {
  struct Started {
    call::Engine* engine;
    ConsoleInfo info;
  };
  post_to(worker_, [this, key_passphrase] {
    Outcome<Started> out;
    try {
      backend_ = std::make_unique<ConsoleBackend>(options_, key_passphrase, events_);
      ConsoleBackend& b = *backend_;
      ConsoleInfo info;
      info.name = QString::fromStdString(b.profile.name());
      info.fingerprint = QString::fromStdString(crypto::fingerprint(b.profile.public_key()));
      try {
        info.card = QString::fromStdString(identity::serialize_card(b.profile.own_card()));
      } catch (const std::exception&) {
        // Listening on 0.0.0.0: no card without an address to advertise (shown as such).
      }
      info.settings = b.settings;
      info.key_protected = b.profile.key_needs_passphrase();
      info.admin_passphrase_set = b.gate.has_passphrase(store::Role::kAdministrator);
      info.operator_passphrase_set = b.gate.has_passphrase(store::Role::kOperator);
      out.value = Started{&b.engine(), info};
    } catch (const std::exception& e) {
      backend_.reset();
      out.error = QString::fromStdString(e.what());
    }
    post_to(this, [this, out] {
      if (!out.ok()) {
        emit startFailed(out.error);
        return;
      }
      engine_ = out.value->engine;
      info_ = out.value->info;
      calls_.attach(engine_, call::CallOptions{info_.settings.frame_ms, info_.settings.bitrate});
      emit started();
    });
  });
}

}  // namespace hotline::ui
