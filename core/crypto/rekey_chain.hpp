#pragma once
// Re-keys chained to the call's first handshake (docs/protocol.md §8.1). Each session keeps a
// chain secret derived from its transport keys; a re-key handshake during a call uses, in
// place of the peers' pre-shared key, that key mixed with the chain secret of the session it
// replaces. An attacker who was not in the middle of the first handshake does not have the
// chain, so even with both static keys and the pre-shared key it can neither answer nor make
// a re-key that either console accepts.

#include "core/crypto/secret.hpp"

namespace hotline::crypto {

// From a session's two transport keys, named by direction so both sides derive the same.
SecretKey derive_rekey_chain(const SecretKey& initiator_to_responder,
                             const SecretKey& responder_to_initiator);
// The pre-shared key of a re-key handshake: the peers' own (all zeros when they have none)
// mixed with the chain secret of the session being replaced.
SecretKey chained_psk(const SecretKey& chain, const SecretKey& psk);

}  // namespace hotline::crypto
