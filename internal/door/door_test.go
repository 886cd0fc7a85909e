package door

import (
	"context"
	"errors"
	"testing"
	"time"

	"motcua/internal/api"
)

// A request reaches the office that polls, its answer the one who asked;
// an office that does not poll is away; another office's answer is
// dropped; a request not answered in time is withdrawn.
func TestDoor(t *testing.T) {
	h := &Hub{}
	if _, err := h.Ask(context.Background(), "a", api.DoorRequest{Kind: api.DoorRemoteTicket}); !errors.Is(err, ErrAway) {
		t.Fatalf("an office that never polled: %v", err)
	}
	polled := make(chan []api.DoorRequest)
	poll := func(office string) {
		go func() { polled <- h.Poll(context.Background(), office, 5*time.Second) }()
	}
	poll("a")
	for !h.Connected("a") {
		time.Sleep(time.Millisecond) // the poll goroutine registers
	}
	asked := make(chan api.DoorAnswer)
	go func() {
		a, err := h.Ask(context.Background(), "a", api.DoorRequest{Kind: api.DoorRemoteTicket, ServiceID: "ho_tich"})
		if err != nil {
			t.Error(err)
		}
		asked <- a
	}()
	reqs := <-polled
	if len(reqs) != 1 || reqs[0].ServiceID != "ho_tich" || reqs[0].ID == "" {
		t.Fatalf("polled %+v", reqs)
	}
	h.Answer("b", []api.DoorAnswer{{ID: reqs[0].ID, Status: 201}}) // another office's key
	select {
	case a := <-asked:
		t.Fatalf("another office answered: %+v", a)
	case <-time.After(50 * time.Millisecond):
	}
	h.Answer("a", []api.DoorAnswer{{ID: reqs[0].ID, Status: 201, Ticket: &api.RemoteTicket{Number: 1001}}})
	if a := <-asked; a.Status != 201 || a.Ticket.Number != 1001 {
		t.Fatalf("answer %+v", a)
	}
	// Asked while connected but not answered in time: withdrawn, so a
	// later poll does not get it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Ask(ctx, "a", api.DoorRequest{Kind: api.DoorTicketStatus}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unanswered: %v", err)
	}
	if got := h.Poll(context.Background(), "a", time.Millisecond); len(got) != 0 {
		t.Fatalf("a withdrawn request was delivered: %+v", got)
	}
	h.Now = func() time.Time { return time.Now().Add(time.Minute) }
	if h.Connected("a") {
		t.Error("an office silent for a minute counts as connected")
	}
}
