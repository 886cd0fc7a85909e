package display

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/ui"
	"motcua/internal/uitest"
	"motcua/internal/voice"
)

func office() queue.Office {
	return queue.Office{
		Name:     "Bộ phận Một cửa phường Thử",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}, {Number: 2, Services: []string{"ho_tich"}}},
		Display:  queue.DisplayConfig{Ticker: "Giờ làm việc 7:30–17:00"},
	}
}

// said records announcements instead of playing them.
type said struct {
	mu   sync.Mutex
	keys []string
}

func (s *said) Play(ctx context.Context, a voice.Announcement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, a.Display+"@"+a.Caption)
	return nil
}

func (s *said) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.keys...)
}

// board reads the board on the UI goroutine, where its state lives.
func board(a *App) (b Board) {
	uitest.OnUI(func() { b = a.Board() })
	return b
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	testwait.Until(t, 10*time.Second, ok, func() string { return fmt.Sprintf("waited 10 s for %s", what) })
}

// The board shows and announces a call, loses the server plainly, and after
// the resync shows the call again but not as new, and does not announce it again.
func TestBoardFollowsCallsAndRecovers(t *testing.T) {
	app := test.NewApp()
	t.Cleanup(app.Quit)
	app.Settings().SetTheme(ui.BoardTheme())
	dir := t.TempDir()
	url, stop := testserver.Start(t, "127.0.0.1:0", dir, office())
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1600, 900))
	player := &said{}
	an := voice.NewAnnouncer(player, time.Second, nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go an.Run(ctx)
	var a *App
	uitest.OnUI(func() { a = New(w, client.New(url, ""), Config{Announcer: an, UI: ui.NewBridge(uitest.OnUI, nil)}) })
	a.Start(ctx)
	waitFor(t, "the first snapshot", func() bool { return board(a).Online })

	kiosk := client.New(url, testserver.KioskKey)
	kiosk.Issue(ctx, "ho_tich", "")
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if _, _, err := clerk.Next(ctx, 2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the call on the board", func() bool { n := board(a).Highlighted(time.Now()); return n != nil && n.Display == "1001" })
	waitFor(t, "the announcement", func() bool { return len(player.all()) == 1 })
	if got := player.all()[0]; got != "1001@Mời công dân có số thứ tự 1001 đến quầy số 2" {
		t.Errorf("announced %q", got)
	}
	var shown string
	uitest.OnUI(func() { shown = uitest.Text(w.Content()) })
	for _, want := range []string{"1001", "ĐẾN QUẦY 2", "Hộ tịch: 0 người chờ", "Giờ làm việc 7:30–17:00", "Mời công dân có số thứ tự 1001 đến quầy số 2"} {
		if !strings.Contains(shown, want) {
			t.Errorf("board lacks %q:\n%s", want, shown)
		}
	}

	addr := strings.TrimPrefix(url, "http://")
	stop()
	waitFor(t, "the lost-server banner", func() bool {
		uitest.OnUI(func() { shown = uitest.Text(w.Content()) })
		return !board(a).Online && strings.Contains(shown, "MẤT KẾT NỐI MÁY CHỦ")
	})
	testserver.Start(t, addr, dir, office())
	waitFor(t, "the resync", func() bool { return board(a).Online })
	b := board(a)
	if b.New != nil || len(b.Last) != 1 || b.Last[0].Display != "1001" || b.Counters[1].Display != "1001" {
		t.Fatalf("after the resync: new %+v, last %+v, counters %+v", b.New, b.Last, b.Counters)
	}
	// The next call is announced next: had the resync replayed the old call, it
	// would stand between the two (the announcer keeps their order).
	if _, err := clerk.TicketAction(ctx, 2, api.ActFinish, api.CounterRequest{}); err != nil {
		t.Fatal(err)
	}
	kiosk.Issue(ctx, "ho_tich", "")
	if _, _, err := clerk.Next(ctx, 2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the next announcement", func() bool { return len(player.all()) >= 2 })
	if got := player.all(); len(got) != 2 || !strings.HasPrefix(got[1], "1002@") {
		t.Fatalf("announced %v, want 1001 then 1002 only", got)
	}
}

// A board whose key the server no longer takes (revoked) says so through
// Refused, where motcua-display pairs again.
func TestRefusedKeyIsReported(t *testing.T) {
	app := test.NewApp()
	t.Cleanup(app.Quit)
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office())
	w := test.NewWindow(nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	refused := make(chan struct{}, 8)
	var a *App
	uitest.OnUI(func() {
		a = New(w, client.New(url, "a-revoked-board-key"), Config{UI: ui.NewBridge(uitest.OnUI, nil), Refused: func() { refused <- struct{}{} }})
	})
	a.Start(ctx)
	select {
	case <-refused:
	case <-time.After(10 * time.Second):
		t.Fatal("a refused key was never reported")
	}
}
