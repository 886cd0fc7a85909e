package api

import "motcua/internal/queue"

// Feed frame types.
const (
	FrameSnapshot = "snapshot"
	FrameEvents   = "events"
	FrameIssued   = "issued"
)

// IssuedFrame is what a public client (a phone, a web board) gets of the
// tickets issued while the feed held them (a moment, so that a kiosk's
// burst costs one frame): for each service how many ordinary tickets and
// their first and last numbers, and the priority tickets one by one as
// events (they go ahead of others, so a phone counts them). An ordinary
// ticket issued now queues behind every ticket a phone already follows, so
// none needs its detail; a board adds the counts to its waiting ones. It
// stands for every seq from From to Seq: a client at From-1 applies it (the
// priority events, then the counts) and is at Seq; one that already holds
// part of it asks for a snapshot. The staff view gets every event.
type IssuedFrame struct {
	Type     string                 `json:"type"`
	From     uint64                 `json:"from"`
	Seq      uint64                 `json:"seq"`
	Services map[string]IssuedCount `json:"services"`
	Priority []queue.Event          `json:"priority,omitempty"`
}

// IssuedCount is a service's ordinary tickets in an IssuedFrame.
type IssuedCount struct {
	Count int `json:"count"`
	First int `json:"first"` // the first's number
	Last  int `json:"last"`
}

// EventsFrame carries several events in one frame, in seq order: the public
// view's issues that waited (up to a second) go out this way, one frame for
// all of them. A client applies each as if it had come in a frame of its own.
type EventsFrame struct {
	Type   string        `json:"type"`
	Seq    uint64        `json:"seq"` // the last event's
	Events []queue.Event `json:"events"`
}

// SnapshotFrame is the first frame on every feed connection and the answer to
// a resync: the whole state with the seq it is at.
type SnapshotFrame struct {
	Type     string         `json:"type"`
	Seq      uint64         `json:"seq"`
	Snapshot queue.Snapshot `json:"snapshot"`
}

// FrameHeader is what a client reads first of any frame: a snapshot frame has
// Type "snapshot", an events frame Type "events"; an event (queue.Event) has
// its Seq and its own type ("ticket.called", …).
type FrameHeader struct {
	Type     string          `json:"type"`
	Seq      uint64          `json:"seq"`
	From     uint64          `json:"from"` // an issued frame's first seq
	Snapshot *queue.Snapshot `json:"snapshot"`
	Events   []queue.Event   `json:"events"`
}

// ClientMessage is what a client may send on the feed: {"type":"snapshot"}
// asks for a resync.
type ClientMessage struct {
	Type string `json:"type"`
}

// Update is one thing a feed subscription tells a screen, in order: a snapshot
// to replace everything (first on every connection and after a gap), an event
// to apply, or a change of connection (Online false: show "mất kết nối" and
// keep the old picture; the next update after reconnecting is a snapshot).
type Update struct {
	Snapshot *queue.Snapshot
	Event    *queue.Event
	Online   bool
	// Unauthorized: the server refused the credential (an expired session);
	// the feed keeps trying, but a staff screen should ask for a login.
	Unauthorized bool
}

// Live is a screen's copy of the server's state, kept up to date by the feed's
// updates: the kiosk, the counter, the rating screen and the board each hold
// one, on their UI goroutine.
type Live struct {
	Snap   *queue.Snapshot // nil until the first snapshot
	Online bool
}

// Apply takes one update: a snapshot replaces the copy, an event is applied to
// it (and returned, for the screen's own reaction), a change of connection is
// noted.
func (l *Live) Apply(u Update) *queue.Event {
	switch {
	case u.Snapshot != nil:
		s := *u.Snapshot
		l.Snap, l.Online = &s, true
	case u.Event != nil && l.Snap != nil:
		l.Snap.Apply(*u.Event)
		return u.Event
	case u.Snapshot == nil && u.Event == nil:
		l.Online = u.Online
	}
	return nil
}
