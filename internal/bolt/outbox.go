package bolt

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// The outbox: every message to a citizen is written here by the writer,
// with a message.changed event, before any channel is tried (sent after
// the commit); its id is its idempotency key. outbox_pending holds the ids
// of those not yet sent or given up, so the sender never walks the whole
// outbox. The phone a citizen gives for a ticket is a contact, kept apart
// from the ticket (which rides on events) until the retention erases it.
var (
	bOutbox   = []byte("outbox")         // <message id> -> notify.Message
	bPending  = []byte("outbox_pending") // <message id> -> ""
	bContacts = []byte("contacts")       // <ticket id> -> contact
	kPlanned  = []byte("notify_planned") // meta: the last event seq the planner read
)

var notifier = queue.Actor{Kind: queue.ActorSystem, ID: "notify"}

// contact is a phone given for a ticket's messages.
type contact struct {
	Phone  string    `json:"phone,omitempty"`
	Day    string    `json:"day"`
	Given  time.Time `json:"given"`
	Erased time.Time `json:"erased,omitzero"`
}

// putMessage writes m and its event.
func (w *txWriter) putMessage(m notify.Message, now time.Time) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return failed{err}
	}
	if err := w.tx.Bucket(bOutbox).Put([]byte(m.ID), raw); err != nil {
		return failed{err}
	}
	p := w.tx.Bucket(bPending)
	if m.State.Final() {
		err = p.Delete([]byte(m.ID))
	} else {
		err = p.Put([]byte(m.ID), nil)
	}
	if err != nil {
		return failed{err}
	}
	state := string(m.State)
	if !m.Erased.IsZero() {
		state = "erased"
	}
	_, err = w.emit(queue.Event{Type: queue.EvMessage, Time: now, Actor: notifier,
		Message: &queue.MessageMark{ID: m.ID, Kind: string(m.Kind), State: state, Channel: m.Channel(), Record: recordHash(raw)}})
	return err
}

// Enqueue writes the messages not already in the outbox (an id seen before
// is skipped: nothing is told twice) and, when planned is above it, the
// planner's place in the event log — in one transaction, so a message is
// never lost between the event that called for it and the outbox. It
// returns those that were new.
func (s *Store) Enqueue(msgs []notify.Message, planned uint64) ([]notify.Message, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		fresh := []notify.Message{}
		b := w.tx.Bucket(bOutbox)
		for _, m := range msgs {
			if b.Get([]byte(m.ID)) != nil {
				continue
			}
			if err := w.putMessage(m, w.now); err != nil {
				return nil, err
			}
			fresh = append(fresh, m)
		}
		if planned > beU64Or0(w.tx.Bucket(bMeta).Get(kPlanned)) {
			if err := w.tx.Bucket(bMeta).Put(kPlanned, u64(planned)); err != nil {
				return nil, failed{err}
			}
		}
		return fresh, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]notify.Message), nil
}

// Planned is the last event seq the planner read.
func (s *Store) Planned() uint64 {
	var n uint64
	s.db.View(func(tx *bbolt.Tx) error {
		n = beU64Or0(tx.Bucket(bMeta).Get(kPlanned))
		return nil
	})
	return n
}

func beU64Or0(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return beU64(v)
}

// UpdateMessage changes one message through the writer (a try begun, its
// outcome, its erasure), with its event.
func (s *Store) UpdateMessage(id string, fn func(*notify.Message) error) (notify.Message, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		raw := w.tx.Bucket(bOutbox).Get([]byte(id))
		if raw == nil {
			return nil, problem.Errorf(problem.ENotFound, "Không có tin nhắn %s", "no message %s", id)
		}
		var m notify.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, failed{err}
		}
		if err := fn(&m); err != nil {
			return nil, err
		}
		return m, w.putMessage(m, w.now)
	})
	if err != nil {
		return notify.Message{}, err
	}
	return v.(notify.Message), nil
}

// UpdateMessages changes several messages in one transaction of the
// writer (a batch of tries begun, their outcomes): one commit for all, as
// a kiosk's ticket would share it. A message fn refuses (errSkip-like) is
// left out of the answer; the others are changed.
func (s *Store) UpdateMessages(ids []string, fn func(*notify.Message) error) ([]notify.Message, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		var out []notify.Message
		for _, id := range ids {
			raw := w.tx.Bucket(bOutbox).Get([]byte(id))
			if raw == nil {
				continue
			}
			var m notify.Message
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, failed{err}
			}
			if fn(&m) != nil {
				continue
			}
			if err := w.putMessage(m, w.now); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]notify.Message), nil
}

// PendingMessages are the messages not yet sent or given up.
func (s *Store) PendingMessages() ([]notify.Message, error) {
	var out []notify.Message
	err := s.db.View(func(tx *bbolt.Tx) error {
		o := tx.Bucket(bOutbox)
		return tx.Bucket(bPending).ForEach(func(k, _ []byte) error {
			var m notify.Message
			if err := json.Unmarshal(o.Get(k), &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// Messages are the messages whose id starts with prefix ("t:<ticket id>/",
// "d:<dossier code>/"), in the order they were queued.
func (s *Store) Messages(prefix string) ([]notify.Message, error) {
	var out []notify.Message
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutbox).Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
			var m notify.Message
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b notify.Message) int { return a.Created.Compare(b.Created) })
	return out, err
}

// GiveContact keeps the phone a citizen gave for a ticket's messages.
func (s *Store) GiveContact(ticketID, day, phone string) error {
	_, err := s.runJob(func(w *txWriter) (any, error) {
		return nil, w.putContact(ticketID, contact{Phone: phone, Day: day, Given: w.now})
	})
	return err
}

func (w *txWriter) putContact(ticketID string, c contact) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return failed{err}
	}
	if err := w.tx.Bucket(bContacts).Put([]byte(ticketID), raw); err != nil {
		return failed{err}
	}
	state := "given"
	if !c.Erased.IsZero() {
		state = "erased"
	}
	_, err = w.emit(queue.Event{Type: queue.EvContact, Time: w.now, Actor: notifier,
		Message: &queue.MessageMark{ID: ticketID, Kind: "contact", State: state, Record: recordHash(raw)}})
	return err
}

// Contact is the phone given for a ticket ("" when none, or erased).
func (s *Store) Contact(ticketID string) string {
	var c contact
	s.db.View(func(tx *bbolt.Tx) error {
		if raw := tx.Bucket(bContacts).Get([]byte(ticketID)); raw != nil {
			json.Unmarshal(raw, &c)
		}
		return nil
	})
	return c.Phone
}

// EraseMessages takes the phone and text out of the messages that ended
// before cutoff, and the phones given for tickets of days before dayCutoff
// (YYYYMMDD); it returns how many records it erased.
func (s *Store) EraseMessages(cutoff time.Time, dayCutoff string) (int, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		var msgs []notify.Message
		err := w.tx.Bucket(bOutbox).ForEach(func(_, raw []byte) error {
			var m notify.Message
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			if m.State.Final() && m.Erased.IsZero() && m.Ended.Before(cutoff) {
				msgs = append(msgs, m)
			}
			return nil
		})
		if err != nil {
			return nil, failed{err}
		}
		for _, m := range msgs {
			m.Erase(w.now)
			if err := w.putMessage(m, w.now); err != nil {
				return nil, err
			}
		}
		n := len(msgs)
		var ids []string
		var cs []contact
		err = w.tx.Bucket(bContacts).ForEach(func(k, raw []byte) error {
			var c contact
			if err := json.Unmarshal(raw, &c); err != nil {
				return err
			}
			if c.Erased.IsZero() && c.Day < dayCutoff {
				ids, cs = append(ids, string(k)), append(cs, c)
			}
			return nil
		})
		if err != nil {
			return nil, failed{err}
		}
		for i, c := range cs {
			c.Phone, c.Erased = "", w.now
			if err := w.putContact(ids[i], c); err != nil {
				return nil, err
			}
		}
		return n + len(cs), nil
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// LastSeq is the seq of the last event committed.
func (s *Store) LastSeq() uint64 {
	var n uint64
	s.db.View(func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bEvents).Cursor().Last(); k != nil {
			n = beU64(k)
		}
		return nil
	})
	return n
}

// RecentMessages are the n messages queued last, newest first.
func (s *Store) RecentMessages(n int) ([]notify.Message, error) {
	var out []notify.Message
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bOutbox).ForEach(func(_, v []byte) error {
			var m notify.Message
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b notify.Message) int { return b.Created.Compare(a.Created) })
	return out[:min(n, len(out))], err
}
