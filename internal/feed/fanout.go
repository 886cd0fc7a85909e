package feed

import (
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// The public view's issues wait: a ticket issued changes only the waiting
// counts on phones and public boards, where a moment's delay is nothing,
// while each issue fanned out to ten thousand phones would slow the kiosks
// that make them. They go out, in one frame, once no issue came for
// laterQuiet, or laterMax after the first of them, or just before any other
// event (a call goes out at once, after the issues before it). The staff view
// gets everything at once.
const (
	laterQuiet  = 200 * time.Millisecond
	laterMaxAge = time.Second
	laterTick   = 50 * time.Millisecond
)

// Publish is the store's publisher: it runs under the store's lock, right after
// a commit, with the events in seq order. Each event is encoded and framed once
// per view (staff, public), whatever the number of clients.
func (h *Hub) Publish(evs []queue.Event) {
	if h.Count() == 0 {
		return // nobody listens: skip the encoding
	}
	// The fan-out runs in the dispatcher, off the store's writer: a batch is
	// acknowledged to its kiosks without waiting for ten thousand queues. A
	// client that registers meanwhile may get events already in its snapshot;
	// clients drop any event at or below their snapshot's seq.
	select {
	case h.batches <- batch{evs: evs}:
	default: // the dispatcher is far behind: everyone starts again from a snapshot
		h.mu.Lock()
		for c := range h.clients {
			h.staleLocked(c)
		}
		h.mu.Unlock()
	}
}

// batch is one publish for the dispatcher; done, when set, is closed once it
// is queued to every client (tests wait on it).
type batch struct {
	evs  []queue.Event
	done chan struct{}
}

// dispatcher frames each batch once per view and queues it to every client.
func (h *Hub) dispatcher() {
	t := time.NewTicker(laterTick)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			if len(h.later) > 0 && (now.Sub(h.laterAt) >= laterQuiet || now.Sub(h.laterOf) >= laterMaxAge) {
				h.fanOut(nil) // the issues that waited
			}
		case b := <-h.batches:
			if len(b.evs) > 0 {
				h.fanOut(b.evs)
			}
			if b.done != nil {
				close(b.done)
			}
		}
	}
}

// flush waits until everything published so far is queued to the clients.
func (h *Hub) flush() {
	done := make(chan struct{})
	h.batches <- batch{done: done}
	<-done
}

// fanOut queues evs to the clients: the staff view at once; the public view
// at once unless the batch holds only issues, which wait in later (a nil evs
// sends what waits; see laterQuiet). What waits goes out as one frame whatever its length:
// one queue entry and one encoding for every phone. Only the dispatcher calls it.
func (h *Hub) fanOut(evs []queue.Event) {
	full := make([]wsFrame, len(evs))
	var public, short []wsFrame // the public view's frames, and the same for the clients that take issues in short
	flushLater := func() {
		long, brief := h.laterFrames()
		public, short = append(public, long), append(short, brief)
	}
	lazy := len(evs) > 0
	for _, e := range evs {
		lazy = lazy && e.Type == queue.EvIssued
	}
	for i, e := range evs {
		full[i] = prepare(e)
		if lazy {
			if len(h.later) == 0 {
				h.laterOf = time.Now()
			}
			h.laterAt = time.Now()
			h.later = append(h.later, e.Public())
		} else {
			if i == 0 && len(h.later) > 0 {
				flushLater()
			}
			f := prepare(e.Public())
			public, short = append(public, f), append(short, f)
		}
	}
	if len(h.later) >= laterMax || evs == nil && len(h.later) > 0 {
		flushLater()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	woken := h.woken[:0]
	queue := func(c *wsClient, frames []wsFrame) {
		if _, overflowed, wake := c.enqueue(frames, h.cfg.SendBuffer); overflowed {
			h.askResync(c)
		} else if wake {
			woken = append(woken, c)
		}
	}
	if len(full) > 0 {
		for c := range h.staff {
			queue(c, full)
		}
	}
	if len(public) > 0 {
		for c := range h.clients {
			switch {
			case c.short:
				queue(c, short)
			case !c.full:
				queue(c, public)
			}
		}
	}
	h.readyMany(woken) // one lock for the lot, not one per client
	clear(woken)
	h.woken = woken[:0]
}

// laterMax is how many issues may wait for the public view (some 400 KB
// held) before they go out anyway.
const laterMax = 1000

// laterFrames frames what waits, and empties it: as one events frame, and
// in short as one issued frame (api.IssuedFrame: a few hundred bytes for a
// burst of hundreds, where the events are some 400 bytes each to every
// phone).
func (h *Hub) laterFrames() (events, short wsFrame) {
	events = prepare(api.EventsFrame{Type: api.FrameEvents, Seq: h.later[len(h.later)-1].Seq, Events: h.later})
	f := api.IssuedFrame{Type: api.FrameIssued, From: h.later[0].Seq, Seq: h.later[len(h.later)-1].Seq, Services: map[string]api.IssuedCount{}}
	for _, e := range h.later {
		t := e.Ticket
		switch {
		case t == nil:
		case t.Priority != "":
			f.Priority = append(f.Priority, e)
		default:
			c := f.Services[t.ServiceID]
			if c.Count == 0 || t.Number < c.First {
				c.First = t.Number
			}
			c.Last = max(c.Last, t.Number)
			c.Count++
			f.Services[t.ServiceID] = c
		}
	}
	h.later = nil
	return events, prepare(f)
}

// sendLocked queues frames for c. A client too far behind (the writers
// could not keep up, or it reads slowly) gets a fresh snapshot instead of the
// backlog: under a burst, phones see the latest state rather than every step.
func (h *Hub) sendLocked(c *wsClient, frames ...wsFrame) bool {
	ok, overflowed, wake := c.enqueue(frames, h.cfg.SendBuffer)
	if overflowed {
		h.askResync(c)
	}
	if wake {
		h.ready(c)
	}
	return ok
}

// staleLocked drops c's backlog and asks a fresh snapshot for it.
func (h *Hub) staleLocked(c *wsClient) {
	if c.makeStale() {
		h.askResync(c)
	}
}

func (h *Hub) askResync(c *wsClient) {
	h.overflows.Add(1)
	h.staleMu.Lock()
	h.stale = append(h.stale, c)
	h.staleMu.Unlock()
	select {
	case h.resyncs <- struct{}{}:
	default:
	}
}

// resyncer sends fresh snapshots to the clients whose queue overflowed, many
// at once (they share one snapshot frame).
func (h *Hub) resyncer() {
	for {
		select {
		case <-h.stop:
			return
		case <-h.resyncs:
		}
		h.staleMu.Lock()
		list := h.stale
		h.stale = nil
		h.staleMu.Unlock()
		if len(list) == 0 || h.snapshots == nil {
			continue
		}
		h.snapshots(func(seq uint64, build func() queue.Snapshot) {
			for _, c := range list {
				c.fresh(h.snapshotFrame(seq, build, c.full))
			}
		})
	}
}
