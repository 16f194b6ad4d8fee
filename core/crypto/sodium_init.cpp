#include <sodium.h>

#include "core/crypto/secret.hpp"
#include "core/util/error.hpp"

namespace hotline::crypto {

void ensure_sodium() {
  // sodium_init is thread-safe and returns 1 when already initialised.
  static const int status = sodium_init();
  if (status < 0) throw Error("the cryptography library (libsodium) could not be initialised");
}

}  // namespace hotline::crypto
