// Package door is the province's side of the citizens' door: requests from
// outside (a remote ticket, where one stands) wait in the office's box
// until the office, over its own outbound uplink, asks for them (a long
// poll) and answers; the citizen's request waits for that answer, a few
// seconds at most. It holds nothing on disk: a request the office does not
// take in time is answered "the office is not taking remote numbers now"
// and forgotten, so a citizen never holds a number the office did not give.
package door

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
)

// Errors of Ask.
var (
	// ErrAway: the office has not asked for requests lately (its uplink
	// is down, or it runs without one).
	ErrAway = problem.Errorf(problem.EUnavailable, "Văn phòng hiện không nhận lấy số từ xa (mất kết nối với tỉnh). Xin mời Ông/Bà lấy số tại văn phòng",
		"the office is not taking remote numbers now (it is not connected to the province); please take a number at the office")
	// ErrBusy: too many requests wait for the office already.
	ErrBusy = problem.Errorf(problem.ETooMany, "Văn phòng đang nhận nhiều yêu cầu; xin thử lại sau ít phút",
		"the office has many requests waiting; please try again in a few minutes")
)

// Hub holds every office's box.
type Hub struct {
	// Alive is how long after its last poll an office counts as connected
	// (default 40 s: it polls again at once after each answer, and a poll
	// waits up to 25 s).
	Alive time.Duration
	// Pending bounds the requests waiting for one office (default 200).
	Pending int
	Now     func() time.Time // nil: time.Now

	mu    sync.Mutex
	boxes map[string]*box
}

type box struct {
	queue   []api.DoorRequest
	wake    chan struct{}                  // closed when a request arrives
	waiting map[string]chan api.DoorAnswer // request id -> its asker
	polled  time.Time                      // last poll began or ended
	polling int                            // polls waiting now
	nudged  bool                           // something changed for the office: its poll ends at once
}

func (h *Hub) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Hub) box(office string) *box {
	if h.boxes == nil {
		h.boxes = map[string]*box{}
	}
	b := h.boxes[office]
	if b == nil {
		b = &box{wake: make(chan struct{}), waiting: map[string]chan api.DoorAnswer{}}
		h.boxes[office] = b
	}
	return b
}

// Connected says whether office asked for requests lately.
func (h *Hub) Connected(office string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.boxes[office]
	alive := h.Alive
	if alive <= 0 {
		alive = 40 * time.Second
	}
	return b != nil && (b.polling > 0 || h.now().Sub(b.polled) < alive)
}

// Ask hands req to office and waits for its answer until ctx ends (the
// caller sets how long a citizen waits). ErrAway when the office is not
// connected; ctx's error when no answer came in time (the request is then
// withdrawn: an office that takes it later finds no asker, and a remote
// ticket it issued lapses unclaimed).
func (h *Hub) Ask(ctx context.Context, office string, req api.DoorRequest) (api.DoorAnswer, error) {
	if !h.Connected(office) {
		return api.DoorAnswer{}, ErrAway
	}
	var raw [12]byte
	rand.Read(raw[:])
	req.ID = hex.EncodeToString(raw[:])
	answer := make(chan api.DoorAnswer, 1)
	h.mu.Lock()
	b := h.box(office)
	limit := h.Pending
	if limit <= 0 {
		limit = 200
	}
	if len(b.waiting) >= limit {
		h.mu.Unlock()
		return api.DoorAnswer{}, ErrBusy
	}
	b.queue = append(b.queue, req)
	b.waiting[req.ID] = answer
	close(b.wake)
	b.wake = make(chan struct{})
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(b.waiting, req.ID)
		for i, q := range b.queue { // not taken yet: withdrawn
			if q.ID == req.ID {
				b.queue = append(b.queue[:i:i], b.queue[i+1:]...)
				break
			}
		}
		h.mu.Unlock()
	}()
	select {
	case a := <-answer:
		return a, nil
	case <-ctx.Done():
		return api.DoorAnswer{}, ctx.Err()
	}
}

// Poll is office asking for its requests: those waiting, or the first to
// come within wait; none when wait ends (or ctx does) first.
func (h *Hub) Poll(ctx context.Context, office string, wait time.Duration) []api.DoorRequest {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	h.mu.Lock()
	b := h.box(office)
	b.polling++
	b.polled = h.now()
	defer func() {
		h.mu.Lock()
		b.polling--
		b.polled = h.now()
		h.mu.Unlock()
	}()
	for {
		if len(b.queue) > 0 {
			out := b.queue
			b.queue, b.nudged = nil, false
			h.mu.Unlock()
			return out
		}
		if b.nudged {
			b.nudged = false
			h.mu.Unlock()
			return nil
		}
		wake := b.wake
		h.mu.Unlock()
		select {
		case <-wake:
			h.mu.Lock()
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// Nudge ends office's poll now (or its next, at once): something it asks
// for between polls changed (a booking taken or cancelled).
func (h *Hub) Nudge(office string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.box(office)
	b.nudged = true
	close(b.wake)
	b.wake = make(chan struct{})
}

// Answer delivers office's answers to those who asked it; an answer to a
// request of another office, or one withdrawn, is dropped.
func (h *Hub) Answer(office string, answers []api.DoorAnswer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.boxes[office]
	if b == nil {
		return
	}
	for _, a := range answers {
		if ch, ok := b.waiting[a.ID]; ok {
			delete(b.waiting, a.ID)
			ch <- a
		}
	}
}
