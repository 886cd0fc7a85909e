// Package chain is the event log's hash chain, one definition for the
// office's store and the province's copy: each event's hash is the SHA-256
// of the hash before it (32 zero bytes for the first) and the event's JSON.
package chain

import "crypto/sha256"

// Size is a hash's length in bytes.
const Size = sha256.Size

// Hash links an event (its stored JSON) to the hash before it.
func Hash(prev, event []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(event)
	return h.Sum(nil)
}
