package api

import "encoding/json"

// The uplink: an office ships its chained events to the province's service
// (motcua-province serve), authenticated by the office's key
// (Authorization: Bearer KEY); the key names the office at the province.

// Uplink's paths at the province's service.
const (
	UplinkEvents = "/uplink/v1/events" // POST an UplinkBatch; the answer is an UplinkAnswer
	UplinkCursor = "/uplink/v1/cursor" // GET: an UplinkAnswer, where to ship from
)

// UplinkBatch is a batch of an office's events, in seq order; no events is
// a sign of life. Office, when given, must be the key's office (a claim of
// another is refused); Profile is the office's settings (queue.Office),
// sent when their version changed.
type UplinkBatch struct {
	Office  string          `json:"office,omitempty"`
	Profile json.RawMessage `json:"profile,omitempty"`
	Events  []UplinkEvent   `json:"events"`
}

// UplinkEvent is one chained event as the office's store holds it: its seq,
// chain hash, and its JSON byte for byte (the hash covers it).
type UplinkEvent struct {
	Seq  uint64 `json:"seq"`
	Hash []byte `json:"hash"`
	Raw  []byte `json:"raw"`
}

// UplinkAnswer is the province's word: the key's office and how far it
// holds the office's events without a gap.
type UplinkAnswer struct {
	Office string `json:"office"`
	Folded uint64 `json:"folded"`
}
