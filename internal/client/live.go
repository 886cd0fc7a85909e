package client

import "motcua/internal/queue"

// Live is a screen's copy of the server's state, kept up to date by the feed's
// updates: the kiosk, the counter, the rating screen and the board each hold one.
type Live struct {
	Snap   *queue.Snapshot // nil until the first snapshot
	Online bool
}

// Apply takes one update: a snapshot replaces the copy, an event is applied to
// it (and returned, for the screen's own reaction), a change of connection is
// noted. The caller holds whatever lock guards the Live.
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
