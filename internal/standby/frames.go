// Package standby keeps a second PC's copy of the office in step with the
// office's server (the primary), so that a person can make it the primary
// when the first PC dies, with nothing it acknowledged lost.
//
// The standby dials the primary (GET Path, its key as a device's, a
// websocket) and says where its copy stands (Hello). The primary sends
// what it lacks — every change after its position if the primary still
// holds them in memory, else its whole file — then each change as it
// commits, and the scan files (written before the change naming them);
// the standby applies each change through its own single writer (bolt.
// Follower: each event checked against the chain), syncs, and
// acknowledges. A synchronous primary answers a command only when its
// change is acknowledged, or after Wait without an answer: then it goes on
// alone and raises the alert "standby not keeping up" until the standby
// has caught up again.
package standby

import (
	"encoding/binary"
	"errors"
	"time"
)

// Path is where a standby follows its primary.
const Path = "/api/v1/standby/stream"

// Heartbeat is how often the primary shows a quiet stream is alive; a
// standby that hears nothing for three of them dials again.
var Heartbeat = 3 * time.Second

// Frames from the primary: a binary websocket message, its first byte the
// kind.
const (
	frameCopy   byte = 'S' // a piece of the primary's whole file
	frameCopied byte = 'E' // the whole file sent: 8 bytes, its position
	frameChange byte = 'C' // one change (bolt.Change.Encode)
	frameScan   byte = 'F' // a scan file: its 64-character SHA-256, then its bytes
	frameScans  byte = 'L' // every scan the primary holds: SHA-256s, 64 characters each
)

// Hello is the standby's first message: where its copy stands.
type Hello struct {
	Pos   uint64   `json:"pos"`
	Epoch uint64   `json:"epoch"`
	Seq   uint64   `json:"seq"`            // its last event (the primary's log says how far behind)
	Addr  string   `json:"addr,omitempty"` // where it listens (host:port; a host left out or 0.0.0.0: the address it dials from)
	Hash  []byte   `json:"hash,omitempty"` // the history's hash at Pos (bolt.Follower.PosHash)
	Scans []string `json:"-"`
}

// Reply is the standby's word after the hello: the last change on its
// disk (Ack), the scan files it lacks (Need), a scan file kept (Have).
type Reply struct {
	Ack  uint64   `json:"ack,omitempty"`
	Need []string `json:"need,omitempty"`
	Have string   `json:"have,omitempty"`
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

var errFrame = errors.New("standby: a frame that does not read")
