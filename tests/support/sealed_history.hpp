#pragma once
// A sealed call history for store tests: a records key, an operator whose history key is a
// fresh X25519 pair (no Argon2id), one epoch to write under and the operator's view to read
// with.

#include <memory>

#include "core/store/call_history.hpp"
#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/history_records.hpp"
#include "core/store/records_key.hpp"

namespace hotline::test {

crypto::SecretKey random_key();
store::HistoryReaderKey random_reader(store::Role role);

struct SealedHistory {
  explicit SealedHistory(store::Database& db);

  store::Database& db;
  store::RecordsKeys keys;
  std::shared_ptr<const store::HistoryEpoch> epoch;
  store::HistoryReaderKey reader_key;  // the operator's

  store::CallHistory writer() { return store::CallHistory(db, epoch); }
  // A fresh view (a new grant): it opens every epoch key again.
  store::HistoryRecords reader();
};

}  // namespace hotline::test
