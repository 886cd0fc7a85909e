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
	ask := true                   // the bookings
	var pending []api.DoorRequest // brought by the last exchange, to answer
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
		if err == nil {
			if pending == nil {
				err = u.call(ctx, http.MethodGet, api.UplinkRequests+"?wait=25", nil, &pending)
			}
			if err == nil {
				pending, err = r.answer(ctx, u, pending)
			}
		}
		if err != nil {
			ask, pending = true, nil
			r.sleep(ctx, backoff, t)
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		// A poll that ended with nothing: the province's nudge, or 25 s.
		ask, backoff = len(pending) == 0, time.Second
		if ask {
			pending = nil
		}
	}
}

// answer answers reqs, the answers carrying the next poll: it returns
// what that brought (none when it ended with nothing).
func (r *Replicator) answer(ctx context.Context, u *uplink, reqs []api.DoorRequest) ([]api.DoorRequest, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	answers := make([]api.DoorAnswer, len(reqs))
	for i, q := range reqs {
		answers[i] = r.Door(ctx, q)
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return nil, err
	}
	var next []api.DoorRequest
	if err := u.call(ctx, http.MethodPost, api.UplinkAnswers+"?wait=25", body, &next); err != nil {
		return nil, err
	}
	if next == nil {
		next = []api.DoorRequest{} // answered, and nothing came: not "to poll"
	}
	return next, nil
}
