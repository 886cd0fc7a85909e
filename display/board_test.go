package display

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"motcua/internal/queue"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func snap() queue.Snapshot {
	return queue.Snapshot{
		Office: "UBND phường Thử",
		Services: []queue.ServiceStatus{
			{ID: "a", Name: "Hộ tịch", Waiting: 4},
			{ID: "b", Name: "Chứng thực", Waiting: 1},
		},
		Counters: []queue.Counter{
			{Number: 1, Services: []string{"a"}, State: queue.CounterOpen, Current: "T-a-1001"},
			{Number: 2, Services: []string{"b"}, State: queue.CounterOpen},
			{Number: 3, Services: []string{"b"}, State: queue.CounterClosed},
		},
		Tickets: []queue.Ticket{{ID: "T-a-1001", Display: "1001", State: queue.Called, Counter: 1}},
		Recent: []queue.Ticket{
			{ID: "T-a-1001", Display: "1001", Counter: 1, CalledAt: t0.Add(-time.Minute)},
			{ID: "T-b-2001", Display: "2001", Counter: 2, CalledAt: t0.Add(-2 * time.Minute)},
		},
		Display: queue.DisplayConfig{LastCalls: 3, Ticker: "Giờ làm việc: 7:30–17:00"},
	}
}

func called(id, display string, counter, recalls int, typ queue.EventType) queue.Event {
	t := queue.Ticket{ID: id, Display: display, Counter: counter, Recalls: recalls, State: queue.Called}
	c := queue.Counter{Number: counter, State: queue.CounterOpen, Current: id}
	return queue.Event{Type: typ, Ticket: &t, Counter: &c}
}

// summary reads a board as a line: counters, last calls, the new call.
func summary(b Board, now time.Time) string {
	var s []string
	for _, c := range b.Counters {
		s = append(s, "q"+itoa(c.Number)+"="+c.Display)
	}
	s = append(s, "|")
	for _, c := range b.Last {
		s = append(s, c.Display+"@"+itoa(c.Counter))
	}
	if n := b.Highlighted(now); n != nil {
		s = append(s, "| NEW "+n.Display+"@"+itoa(n.Counter))
	}
	return strings.Join(s, " ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// step applies ev to the state and to the caller, as the app does, and
// returns the board and the call to announce.
func step(s *queue.Snapshot, c *Caller, ev queue.Event, now time.Time) (Board, *Call) {
	s.Apply(ev)
	call := c.Seen(ev, now)
	return Project(*s, true, c.Zone, c), call
}

func TestProjectAndCalls(t *testing.T) {
	s := snap()
	c := &Caller{}
	if got, want := summary(Project(s, true, nil, c), t0), "q1=1001 q2= q3= | 1001@1 2001@2"; got != want {
		t.Fatalf("from the snapshot %q, want %q (nothing new)", got, want)
	}
	steps := []struct {
		name     string
		ev       queue.Event
		after    time.Duration
		want     string
		announce string
	}{
		{"a call", called("T-b-2002", "2002", 2, 0, queue.EvCalled), 0, "q1=1001 q2=2002 q3= | 2002@2 1001@1 2001@2 | NEW 2002@2", "2002@2"},
		{"still new at 9 s", queue.Event{Type: queue.EvIssued, Ticket: &queue.Ticket{ID: "x", State: queue.Waiting}}, 9 * time.Second, "q1=1001 q2=2002 q3= | 2002@2 1001@1 2001@2 | NEW 2002@2", ""},
		{"not new after 10 s", queue.Event{Type: queue.EvIssued, Ticket: &queue.Ticket{ID: "y", State: queue.Waiting}}, 10 * time.Second, "q1=1001 q2=2002 q3= | 2002@2 1001@1 2001@2", ""},
		{"a recall is new again, listed once", called("T-a-1001", "1001", 1, 1, queue.EvRecalled), 11 * time.Second, "q1=1001 q2=2002 q3= | 1001@1 2002@2 2001@2 | NEW 1001@1", "1001@1"},
		{"finish clears the counter", queue.Event{Type: queue.EvDone, Ticket: &queue.Ticket{ID: "T-a-1001", Display: "1001", Counter: 1, Recalls: 1, State: queue.Done}, Counter: &queue.Counter{Number: 1, Services: []string{"a"}, State: queue.CounterOpen}}, 12 * time.Second, "q1= q2=2002 q3= | 1001@1 2002@2 2001@2 | NEW 1001@1", ""},
		{"three last calls at most", called("T-a-1002", "1002", 1, 0, queue.EvCalled), 13 * time.Second, "q1=1002 q2=2002 q3= | 1002@1 1001@1 2002@2 | NEW 1002@1", "1002@1"},
		{"a new day clears", queue.Event{Type: queue.EvDayStarted, Day: "20261124"}, 14 * time.Second, "q1= q2= q3= |", ""},
	}
	for _, st := range steps {
		b, call := step(&s, c, st.ev, t0.Add(st.after))
		if got := summary(b, t0.Add(st.after)); got != st.want {
			t.Fatalf("%s: board %q, want %q", st.name, got, st.want)
		}
		got := ""
		if call != nil {
			got = call.Display + "@" + itoa(call.Counter)
		}
		if got != st.announce {
			t.Fatalf("%s: announced %q, want %q", st.name, got, st.announce)
		}
	}
	c.New, c.Until = &Call{Display: "9"}, t0.Add(time.Hour)
	c.Reset()
	if b := Project(snap(), true, nil, c); b.Highlighted(t0) != nil {
		t.Error("a new call survived a snapshot")
	}
}

// A zone's board shows its counters only, and announces only their calls.
func TestZone(t *testing.T) {
	s := snap()
	c := &Caller{Zone: Zone{2, 3}}
	b := Project(s, true, c.Zone, c)
	if got := summary(b, t0); got != "q2= q3= | 2001@2" {
		t.Fatalf("zone board %q", got)
	}
	if len(b.Services) != 1 || b.Services[0].Name != "Chứng thực" {
		t.Fatalf("zone services %+v", b.Services)
	}
	b, call := step(&s, c, called("T-a-1002", "1002", 1, 0, queue.EvCalled), t0)
	if call != nil || strings.Contains(summary(b, t0), "1002") {
		t.Fatal("another zone's call shown or announced")
	}
}

func TestMarquee(t *testing.T) {
	s := &screen{}
	if got := s.marquee("Giờ làm việc 7:30–17:00"); got != "Giờ làm việc 7:30–17:00" {
		t.Errorf("a short ticker moved: %q", got)
	}
	long := strings.Repeat("Tra cứu hồ sơ bằng mã QR · ", 8)
	a, b := s.marquee(long), s.marquee(long)
	if len([]rune(a)) != tickerWidth || a == b || []rune(a)[1] != []rune(b)[0] {
		t.Errorf("a long ticker does not scroll one character at a time: %q / %q", a, b)
	}
}
