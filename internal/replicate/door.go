package replicate

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// The citizens' door over the uplink: the office asks the province for the
// requests citizens made from outside (a long poll: it waits there up to
// 25 s for one) and answers each through Door, at once; the office opens
// no port. Walk-ins never wait on it: a request is one command of the
// store's writer like a kiosk's.

// Bookings is where the office keeps its bookings (the store).
type Bookings interface {
	BookingsChange() int64
	PutBookings(list []queue.Booked, last int64) error
}

// syncBookings asks for the bookings changed since the last the office
// holds, and keeps them.
func (r *Replicator) syncBookings(ctx context.Context, u *uplink) error {
	for {
		after := r.Bookings.BookingsChange()
		var a api.UplinkBookingsAnswer
		if err := u.call(ctx, http.MethodGet, api.UplinkBookings+"?after="+strconv.FormatInt(after, 10), nil, &a); err != nil {
			return err
		}
		if len(a.Bookings) == 0 {
			return nil
		}
		if err := r.Bookings.PutBookings(a.Bookings, a.Last); err != nil {
			return err
		}
		if len(a.Bookings) < 500 {
			return nil
		}
	}
}

// doorLoop polls while the target is the province's service, on one
// kept connection; the bookings are asked for at the start, then whenever a
// poll ends with nothing (the province's nudge when one changed, or every
// 25 s) — not before each request answered.
func (r *Replicator) doorLoop(ctx context.Context) {
	backoff := time.Second
	var u *uplink
	var at queue.Sync
	defer func() {
		if u != nil {
			u.close()
		}
	}()
	ask := true // the bookings
	for ctx.Err() == nil {
		t := r.Target()
		if !t.Uplink() || t.Validate() != nil {
			r.sleep(ctx, 5*time.Second, t)
			continue
		}
		if u == nil || t != at {
			if u != nil {
				u.close()
			}
			u, at, ask = newUplink(t), t, true
			u.client.Timeout = 40 * time.Second // the poll waits 25 s there
		}
		var err error
		if ask && r.Bookings != nil {
			err = r.syncBookings(ctx, u)
		}
		n := 0
		if err == nil {
			n, err = r.doorOnce(ctx, u)
		}
		if err != nil {
			ask = true
			r.sleep(ctx, backoff, t)
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		ask, backoff = n == 0, time.Second
	}
}

// doorOnce is one poll and the answers to what it brought; it says how
// many.
func (r *Replicator) doorOnce(ctx context.Context, u *uplink) (int, error) {
	var reqs []api.DoorRequest
	if err := u.call(ctx, http.MethodGet, api.UplinkRequests+"?wait=25", nil, &reqs); err != nil {
		return 0, err
	}
	if len(reqs) == 0 {
		return 0, nil
	}
	answers := make([]api.DoorAnswer, len(reqs))
	for i, q := range reqs {
		answers[i] = r.Door(ctx, q)
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return 0, err
	}
	return len(reqs), u.call(ctx, http.MethodPost, api.UplinkAnswers, body, nil)
}
