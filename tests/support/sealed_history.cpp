#include "tests/support/sealed_history.hpp"

#include <sodium.h>

namespace hotline::test {
namespace {

store::HistoryReaderKey operator_with_role_row(store::Database& db,
                                               const store::RecordsKeys& keys) {
  db.exec(
      "INSERT INTO role_passphrases (role, verifier, set_at) VALUES ('operator', 'key-wrap', 0)");
  store::HistoryReaderKey reader = random_reader(store::Role::kOperator);
  store::HistoryKeyStore(db).set_reader(store::Role::kOperator, reader.public_key, keys);
  return reader;
}

}  // namespace

crypto::SecretKey random_key() {
  crypto::SecretKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

store::HistoryReaderKey random_reader(store::Role role) {
  store::HistoryReaderKey reader;
  reader.role = role;
  crypto_box_keypair(reader.public_key.data(), reader.secret.data());
  return reader;
}

SealedHistory::SealedHistory(store::Database& database)
    : db(database),
      keys(random_key()),
      epoch(),
      reader_key(operator_with_role_row(database, keys)) {
  epoch = std::make_shared<const store::HistoryEpoch>(
      store::HistoryKeyStore(db).create_epoch(keys, 1'000));
}

store::HistoryRecords SealedHistory::reader() {
  store::HistoryReaderKey copy;
  copy.role = reader_key.role;
  copy.secret = reader_key.secret.clone();
  copy.public_key = reader_key.public_key;
  return store::HistoryRecords(db, std::move(copy));
}

}  // namespace hotline::test
