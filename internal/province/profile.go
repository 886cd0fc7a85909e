package province

import (
	"encoding/json"
	"time"

	"motcua/internal/queue"
)

// An office's reports are laid out by its profile (queue.Office: its
// services, counters, rating scale, target wait and zone), and the profile
// changes. Which one a folded row is made by is read from the chain, so
// that verify, walking the same events, makes each row the same way
// whatever batches they came in:
//   - each settings.changed event carries the profile in force after it
//     (an office of schema 5 on); offices.profile is the latest,
//     offices.profile_seq the event it came from;
//   - a day's ticket tally is made by the profile in force at the last event
//     that touched one of its tickets, a month's by the one in force at the
//     last event that touched one of its days, a dossier's days by the zone
//     in force at its last event;
//   - the events before the chain's first profile (an office that ran an
//     older version) take that first profile; while the chain has carried
//     none, the profile the office ships beside its events stands in.

// inForce is a profile in force and its zone.
type inForce struct {
	office queue.Office
	raw    []byte // as the settings event carried it (nil: shipped, not from the chain)
	seq    int64  // the settings event it came from (0: none)
	loc    *time.Location
}

func newInForce(o queue.Office, raw []byte, seq int64) *inForce {
	loc, err := o.WithDefaults().Location()
	if err != nil {
		loc = time.UTC
	}
	return &inForce{office: o, raw: raw, seq: seq, loc: loc}
}

// profiles follows the profile in force along an office's events.
type profiles struct {
	cur   *inForce
	start *inForce // where the walk started: the stand-in, while standIn
	// standIn: cur is not from the chain yet. The first profile the chain
	// carries is written into it, so what the events before it touched
	// takes that one.
	standIn bool
	first   bool // the chain's first profile came in this walk
	changed bool // a settings event with a profile came in this walk
}

// startProfiles is where a walk starts: the profile in force at the
// office's cursor, from its row (raw NULL: none), from the chain when seq > 0.
func startProfiles(raw []byte, seq int64) (*profiles, error) {
	o := queue.Office{}
	if raw != nil {
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, err
		}
	}
	cur := newInForce(o, raw, seq)
	return &profiles{cur: cur, start: cur, standIn: seq == 0}, nil
}

// settings takes the profile a settings.changed event carries.
func (p *profiles) settings(seq int64, raw []byte) error {
	var o queue.Office
	if err := json.Unmarshal(raw, &o); err != nil {
		return err
	}
	next := newInForce(o, append([]byte(nil), raw...), seq)
	if p.standIn {
		*p.cur, p.standIn, p.first = *next, false, true
	} else {
		p.cur = next
	}
	p.changed = true
	return nil
}
