package api

import (
	"testing"

	"motcua/internal/queue"
)

func TestLive(t *testing.T) {
	var l Live
	ev := queue.Event{Seq: 2, Type: queue.EvIssued, Ticket: &queue.Ticket{ID: "t1", ServiceID: "a", State: queue.Waiting}}
	if got := l.Apply(Update{Event: &ev}); got != nil || l.Snap != nil {
		t.Fatal("an event before any snapshot was applied")
	}
	snap := queue.Snapshot{Seq: 1, Services: []queue.ServiceStatus{{ID: "a"}}}
	l.Apply(Update{Snapshot: &snap})
	if !l.Online || l.Snap == nil || l.Snap == &snap {
		t.Fatal("the snapshot was not copied in, or the screen is not online")
	}
	if got := l.Apply(Update{Event: &ev}); got != &ev || l.Snap.Seq != 2 || l.Snap.Services[0].Waiting != 1 || snap.Seq != 1 {
		t.Fatalf("event: returned %v, snapshot %+v, the sender's copy changed: %v", got, l.Snap, snap.Seq != 1)
	}
	l.Apply(Update{Online: false})
	if l.Online || l.Snap == nil {
		t.Fatal("a lost connection should keep the last picture and go offline")
	}
}
