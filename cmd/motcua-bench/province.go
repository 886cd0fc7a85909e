package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"motcua/assets"
	"motcua/internal/bolt"
	"motcua/internal/calendar"
	"motcua/internal/intake"
	"motcua/internal/node"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// A provincial centre's year (DOMAIN.md, "Scale"): 70 counters over eight
// services, 120 clerks, 500,000 tickets and 70,000 dossiers. The year's
// report page, its XLSX and its PDF each have to come in under 2 s, and the
// live page's redraw after a call within 1 s of the event.

func provinceOffice() queue.Office {
	o := queue.Office{Name: "Trung tâm Phục vụ hành chính công tỉnh (bench)", AgencyCode: "T01", TimeZone: "Asia/Ho_Chi_Minh"}
	for i := range 8 {
		id := fmt.Sprintf("s%d", i)
		o.Services = append(o.Services, queue.ServiceConfig{ID: id, Name: fmt.Sprintf("Lĩnh vực %d", i+1), RangeStart: 1000 * (i + 1), RangeEnd: 1000*(i+1) + 999})
	}
	for n := 1; n <= 70; n++ {
		o.Counters = append(o.Counters, queue.CounterConfig{Number: n, Services: []string{fmt.Sprintf("s%d", n%8)}})
	}
	return o
}

func clerkName(i int) string { return fmt.Sprintf("cb%03d", i) }

// seedProvince writes the year into dir: tickets as finished history, and
// the dossiers through ImportDossiers (on the chain).
func seedProvince(dir string, tickets, dossiers int) error {
	s, err := bolt.Open(dir, provinceOffice(), bolt.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Now().In(loc).AddDate(0, 0, -366)
	perDay, dosPerDay := tickets/365, dossiers/365
	ts := make([]queue.Ticket, 0, tickets)
	var ds []intake.Dossier
	for d := range 365 {
		day := start.AddDate(0, 0, d)
		key := day.Format("20060102")
		open := time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, loc)
		for i := range perDay {
			svc := fmt.Sprintf("s%d", i%8)
			q := open.Add(time.Duration(i*30) * time.Second)
			counter := 1 + r.IntN(70)
			t := queue.Ticket{ID: queue.TicketID(key, svc, i+1), Day: key, Number: i + 1, Display: strconv.Itoa(i + 1), ServiceID: svc, FirstServiceID: svc,
				Channel: queue.ChannelKiosk, Token: fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()), State: queue.Done, Counter: counter, Clerk: clerkName(counter + 50*(d%2)),
				IssuedAt: q, QueuedAt: q, CalledAt: q.Add(time.Duration(r.IntN(45)) * time.Minute)}
			t.DoneAt = t.CalledAt.Add(time.Duration(3+r.IntN(15)) * time.Minute)
			t.Rating = &queue.Rating{Option: []string{"very_satisfied", "satisfied", "unsatisfied", ""}[r.IntN(4)], Counter: t.Counter, Clerk: t.Clerk, At: t.DoneAt}
			if i%19 == 0 {
				t.ServiceID = fmt.Sprintf("s%d", (i+1)%8) // transferred
			}
			if i%17 == 0 {
				t.State, t.DoneAt, t.Rating = queue.NoShow, time.Time{}, nil
			}
			ts = append(ts, t)
		}
		for i := range dosPerDay {
			recv := open.Add(time.Duration(i*2) * time.Minute)
			dd := intake.Dossier{Agency: "T01", Seq: i + 1, Code: intake.Code("T01", recv, i+1, 4), Procedure: fmt.Sprintf("1.%06d", i%40), ProcedureName: "Thủ tục", Service: fmt.Sprintf("s%d", i%8),
				ProcessingAmount: 5, ProcessingUnit: "working_days", Applicant: intake.Applicant{Name: "Người nộp"}, Sets: 1, Delivery: "desk",
				Clerk: clerkName(1 + i%120), Status: intake.Returned, ReceivedAt: recv, DueAt: recv.AddDate(0, 0, 7)}
			dd.ReadyAt = recv.AddDate(0, 0, 3+r.IntN(6)) // some late
			if i%23 == 0 {
				dd.History = append(dd.History, intake.Change{At: recv.Add(time.Hour), To: intake.Supplement})
			}
			ds = append(ds, dd)
		}
	}
	if err := s.ImportTickets(ts); err != nil {
		return err
	}
	return s.ImportDossiers(ds)
}

// provinceBudgets measures the year's report as JSON, on its page, as XLSX
// and as PDF, and the live page's redraw after a call.
func provinceBudgets(dir string, tickets, dossiers int, row func(string, sample)) error {
	dir = filepath.Join(dir, "province")
	t0 := time.Now()
	if err := seedProvince(dir, tickets, dossiers); err != nil {
		return err
	}
	fmt.Printf("%-44s %10.1f s\n", "(seeding the province's year)", time.Since(t0).Seconds())
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	years, err := calendar.ParseYears(assets.Calendars, "calendar/*.json")
	if err != nil {
		return err
	}
	cal, err := calendar.New(loc, calendar.DefaultHours(), years...)
	if err != nil {
		return err
	}
	users := []server.User{{Username: "tp", Name: "Trưởng bộ phận", Role: server.RoleSupervisor, PINHash: benchHash()},
		{Username: "bench", Name: "Bench", Role: server.RoleClerk, PINHash: benchHash()}}
	for i := 1; i <= 120; i++ {
		users = append(users, server.User{Username: clerkName(i), Name: "Cán bộ " + strconv.Itoa(i), Role: server.RoleClerk, PINHash: benchHash()})
	}
	n, err := node.Open(dir, provinceOffice(), bolt.Options{}, server.Config{Users: users, Calendar: cal,
		Devices: []server.Device{{ID: "k", Kind: server.DeviceKiosk, Key: benchKey}}})
	if err != nil {
		return err
	}
	defer n.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	n.Serve(ln, nil)
	base := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	if _, err := web.PostForm(base+"/admin/login", url.Values{"username": {"tp"}, "pin": {"9876"}}); err != nil {
		return err
	}
	q := url.Values{"from": {time.Now().In(loc).AddDate(0, 0, -366).Format("2006-01-02")}, "to": {time.Now().In(loc).Format("2006-01-02")}}.Encode()
	get := func(path string) (time.Duration, int, error) {
		t0 := time.Now()
		resp, err := web.Get(base + path)
		if err != nil {
			return 0, 0, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, 0, fmt.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
		return time.Since(t0), len(body), nil
	}
	for _, c := range []struct{ name, path string }{
		{"year's report, JSON", "/admin/reports/file?format=json&" + q},
		{"year's report page", "/admin/reports?" + q},
		{"year's report, XLSX", "/admin/reports/file?format=xlsx&" + q},
		{"year's report, PDF", "/admin/reports/file?format=pdf&" + q},
	} {
		var s sample
		size := 0
		for range 5 {
			d, n, err := get(c.path)
			if err != nil {
				return err
			}
			s, size = append(s, d), n
		}
		slices.Sort(s)
		row(fmt.Sprintf("%s (%d KB)", c.name, size/1024), s)
	}
	// The live page: a call, the feed's event at the page, its redraw read.
	conn, _, err := (&websocket.Dialer{Jar: jar}).Dial("ws"+strings.TrimPrefix(base, "http")+"/admin/live/feed", http.Header{"Origin": {base}})
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.ReadMessage() // the snapshot
	clerk := &target{base: base}
	if err := clerk.login(); err != nil {
		return err
	}
	if err := clerk.post("/api/v1/counters/1/open", clerk.clerk, "", nil, 200); err != nil {
		return err
	}
	var live sample
	for range 20 {
		if err := clerk.post("/api/v1/tickets", benchKey, `{"service_id":"s1"}`, nil, 201); err != nil {
			return err
		}
		conn.ReadMessage() // the issue (or its batch)
		t0 := time.Now()
		if err := clerk.post("/api/v1/counters/1/next", clerk.clerk, "", nil, 200); err != nil {
			return err
		}
		for { // until the call's event reaches the page
			_, msg, err := conn.ReadMessage()
			if err != nil {
				return err
			}
			if strings.Contains(string(msg), `"ticket.called"`) {
				break
			}
		}
		if _, _, err := get("/admin/live.part"); err != nil {
			return err
		}
		live = append(live, time.Since(t0))
		if err := clerk.post("/api/v1/counters/1/finish", clerk.clerk, "", nil, 200); err != nil {
			return err
		}
	}
	slices.Sort(live)
	row("live page: call -> event -> redraw read", live)
	return nil
}
