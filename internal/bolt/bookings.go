package bolt

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

// The bookings the province took for this office, kept here so that they
// are checked in even while the uplink is down: each change through the
// writer with its booking.changed event (no personal data: the province
// keeps the phone).

var fromProvince = queue.Actor{Kind: queue.ActorProvince, ID: "uplink", Name: "Đặt lịch qua tỉnh"}

// BookingsChange is the province's last change of bookings the store holds
// (0: none yet): the uplink asks for those after it.
func (s *Store) BookingsChange() int64 {
	var n int64
	s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kBookings); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n
}

// PutBookings keeps the bookings the province sends (new ones, cancelled
// ones), each changed one with its event, and the province's last change.
// A booking checked in here stays checked in whatever the province says.
func (s *Store) PutBookings(list []queue.Booked, last int64) error {
	_, err := s.runJob(func(w *txWriter) (any, error) {
		b := w.tx.Bucket(bBookings)
		for _, k := range list {
			if !queue.ValidCheckIn(k.Code) {
				return nil, problem.Errorf(problem.EInvalid, "Mã lịch hẹn %q không hợp lệ", "booking code %q is not valid", k.Code)
			}
			var old queue.Booked
			if raw := b.Get([]byte(k.Code)); raw != nil {
				if err := json.Unmarshal(raw, &old); err != nil {
					return nil, failed{err}
				}
				if old.State == queue.BookedArrived || sameBooking(old, k) {
					continue
				}
			}
			if err := w.putBooking(k, fromProvince); err != nil {
				return nil, err
			}
		}
		if err := w.tx.Bucket(bMeta).Put(kBookings, u64(uint64(last))); err != nil {
			return nil, failed{err}
		}
		return nil, nil
	})
	return err
}

// putBooking writes k and its event.
func (w *txWriter) putBooking(k queue.Booked, by queue.Actor) error {
	raw, err := json.Marshal(k)
	if err != nil {
		return failed{err}
	}
	if err := w.tx.Bucket(bBookings).Put([]byte(k.Code), raw); err != nil {
		return failed{err}
	}
	if _, err := w.emit(queue.Event{Type: queue.EvBooking, Time: w.now, Actor: by, Booking: &k}); err != nil {
		return failed{err}
	}
	return nil
}

// Booking reads the booking of code.
func (s *Store) Booking(code string) (queue.Booked, bool, error) {
	var k queue.Booked
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bBookings).Get([]byte(code))
		if raw == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(raw, &k)
	})
	return k, ok, err
}

// BookingArrived marks the booking of code checked in as ticket, by who
// checked it in.
func (s *Store) BookingArrived(code, ticket string, by queue.Actor) error {
	_, err := s.runJob(func(w *txWriter) (any, error) {
		var k queue.Booked
		raw := w.tx.Bucket(bBookings).Get([]byte(code))
		if raw == nil {
			return nil, problem.Errorf(problem.ENotFound, "Không có lịch hẹn %s", "no booking %s", code)
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return nil, failed{err}
		}
		k.State, k.Ticket = queue.BookedArrived, ticket
		return nil, w.putBooking(k, by)
	})
	return err
}

// sameBooking says whether a and b say the same (their slots as instants).
func sameBooking(a, b queue.Booked) bool {
	return a.Code == b.Code && a.Token == b.Token && a.ServiceID == b.ServiceID && a.Slot.Equal(b.Slot) && a.State == b.State && a.Ticket == b.Ticket && a.Change == b.Change
}

// PastBookings counts the bookings whose slot fell in [from, to) and before
// now: those not cancelled, and those checked in.
func (s *Store) PastBookings(from, to, now time.Time) (taken, arrived int, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bBookings).ForEach(func(_, raw []byte) error {
			var k queue.Booked
			if err := json.Unmarshal(raw, &k); err != nil {
				return err
			}
			if k.State == queue.BookedCancelled || k.Slot.Before(from) || !k.Slot.Before(to) || !k.Slot.Before(now) {
				return nil
			}
			taken++
			if k.State == queue.BookedArrived {
				arrived++
			}
			return nil
		})
	})
	return taken, arrived, err
}
