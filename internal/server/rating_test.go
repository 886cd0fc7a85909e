package server

import (
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

// The citizen's screen paired to counter 1 rates the ticket just finished there;
// the clerk, a kiosk and another counter's screen cannot. The rating reaches the
// feed as an event.
func TestRatingFromThePairedScreenOnly(t *testing.T) {
	e := newEnv(t, feed.Config{})
	clerk := e.login("lan")
	// No rating screen follows counter 1 yet: a finish asks no rating, and
	// none is recorded as "no rating".
	e.issue("ho_tich", "")
	var first api.TicketView
	e.call("POST", "/api/v1/counters/1/next", clerk, "", &first)
	e.call("POST", "/api/v1/counters/1/finish", clerk, "", nil)
	ratingFor := func() string {
		var snap queue.Snapshot
		e.call("GET", "/api/v1/state", clerk, "", &snap)
		for _, c := range snap.Counters {
			if c.Number == 1 {
				return c.RatingFor
			}
		}
		return "?"
	}
	if got := ratingFor(); got != "" {
		t.Errorf("a finish without a rating screen asks a rating of %q", got)
	}
	screen := e.dial(ratingKey) // counter 1's rating screen, on the feed
	screen.next()
	e.issue("ho_tich", "")
	var called api.TicketView
	e.call("POST", "/api/v1/counters/1/next", clerk, "", &called)
	f := e.dial("")
	f.next() // snapshot
	e.call("POST", "/api/v1/counters/1/finish", clerk, "", nil)
	if got := ratingFor(); got != called.ID {
		t.Errorf("with the screen on the feed the finish asks a rating of %q, want %s", got, called.ID)
	}

	body := `{"ticket_id":"` + called.ID + `","option":"unsatisfied","reasons":["slow"]}`
	for _, who := range []string{clerk, kioskKey, "tv-key-1234567890", ""} {
		if code := e.call("POST", "/api/v1/counters/1/rating", who, body, nil); code != 403 && code != 401 {
			t.Errorf("rating by %q answered %d", who, code)
		}
	}
	if code := e.call("POST", "/api/v1/counters/2/rating", ratingKey, body, nil); code != 403 {
		t.Errorf("counter 1's screen rated at counter 2: %d", code)
	}
	if code := e.call("POST", "/api/v1/counters/1/rating", ratingKey, `{"ticket_id":"`+called.ID+`","option":"unsatisfied"}`, nil); code != 400 {
		t.Errorf("unsatisfied without a reason: %d", code)
	}
	var r queue.Rating
	if code := e.call("POST", "/api/v1/counters/1/rating", ratingKey, body, &r); code != 200 || r.Option != "unsatisfied" || r.Clerk != "lan" || r.Counter != 1 {
		t.Fatalf("rating %d %+v", code, r)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ev := f.next()
		if ev.Type == string(queue.EvRated) {
			if ev.Ticket.Rating.Option != "unsatisfied" {
				t.Fatalf("rated event %+v", ev.Ticket.Rating)
			}
			return
		}
	}
	t.Fatal("no ticket.rated event on the feed")
}
