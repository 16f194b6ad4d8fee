#include "ui/console_session.hpp"

#include "core/admin/audit_details.hpp"
#include "core/admin/audit_trail.hpp"
#include "core/console/console_settings.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/identity/key_file.hpp"
#include "core/identity/peer_card.hpp"
#include "core/store/database.hpp"
#include "ui/queued_call.hpp"

namespace hotline::ui {

ConsoleSession::ConsoleSession(SessionOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)), worker_(new QObject) {
  thread_.setObjectName("console worker");
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.start();
  // A change made by another process (`hotline peer disable`, `hotline settings set`): the
  // engine has the directory already; the window reads it and the settings again.
  connect(&calls_, &CallController::storeChanged, this, [this] {
    run<ConsoleSettings>(
        [](ConsoleBackend& b) {
          b.settings = read_settings(b.profile);
          b.apply_settings();
          return b.settings;
        },
        this,
        [this](Outcome<ConsoleSettings> out) {
          if (out.ok()) {
            info_.settings = *out.value;
            calls_.set_call_options({out.value->frame_ms, out.value->bitrate});
            emit settingsChanged();
          }
          emit directoryChanged();
        });
  });
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
    StartFailure kind = StartFailure::kOther;
    QString listen;
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
    } catch (const identity::WrongPassphrase& e) {
      backend_.reset();
      out.error = QString::fromStdString(e.what());
      kind = StartFailure::kWrongPassphrase;
    } catch (const call::ListenError& e) {
      backend_.reset();
      out.error = QString::fromStdString(e.what());
      kind = e.in_use() ? StartFailure::kAddressInUse : StartFailure::kOther;
      listen = QString::fromStdString(e.endpoint());
    } catch (const std::exception& e) {
      backend_.reset();
      out.error = error_text(e);
    }
    post_to(this, [this, out, kind, listen] {
      if (!out.ok()) {
        emit startFailed(out.error, kind, listen);
        return;
      }
      engine_ = out.value->engine;
      info_ = out.value->info;
      calls_.attach(engine_, call::CallOptions{info_.settings.frame_ms, info_.settings.bitrate});
      emit started();
    });
  });
}

void ConsoleSession::change_listen_address(const QString& address,
                                           std::optional<std::string> key_passphrase,
                                           QObject* context, std::function<void(QString)> done) {
  post_to(worker_, [this, address, key_passphrase, guard = QPointer<QObject>(context), done] {
    QString error;
    try {
      auto profile = identity::Profile::open(options_.profile_dir);
      profile.unlock(key_passphrase);
      const net::Endpoint endpoint = net::parse_endpoint_or_throw(address.trimmed().toStdString());
      const std::string before = profile.listen().to_string();
      store::Transaction transaction(profile.database());
      profile.settings().set(console::kSettingListen, endpoint.to_string());
      admin::AuditTrail(profile).record_unprivileged(
          admin::current_actor(), "settings.set",
          admin::audit_details(
              admin::AuditDetail::kListenChangedAtStart,
              {std::string(console::kSettingListen), endpoint.to_string(), before}));
      transaction.commit();
    } catch (const std::exception& e) {
      error = error_text(e);
    }
    post_to(this, [guard, done, error] {
      if (guard) done(error);
    });
  });
}

}  // namespace hotline::ui
