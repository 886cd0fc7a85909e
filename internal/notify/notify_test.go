package notify

import (
	"testing"
	"time"
)

func TestRenderAndWording(t *testing.T) {
	s := Settings{Channels: []string{SMS}, Templates: map[Kind]Template{Called: {Text: "Số {number}: quầy {counter}"}, Near: {Off: true}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := Render(s.Wording(Called), map[string]string{"number": "A1024", "counter": "3"}); got != "Số A1024: quầy 3" {
		t.Fatalf("rendered %q", got)
	}
	if got := Render(Ready.DefaultText(), map[string]string{"office": "UBND", "code": "X", "place": "quầy 1"}); got != "UBND: hồ sơ X đã có kết quả. Mời ông/bà nhận tại quầy 1." {
		t.Fatalf("a link-less office's message: %q", got)
	}
	if s.Sends(Near) || !s.Sends(Called) || !s.Sends(Ready) {
		t.Fatal("on/off per kind is wrong")
	}
	if (Settings{}).Sends(Called) {
		t.Fatal("an office with no channel sends")
	}
	for _, bad := range []Settings{
		{Channels: []string{"fax"}},
		{Channels: []string{SMS, SMS}},
		{Templates: map[Kind]Template{"queue.nope": {}}},
		{Templates: map[Kind]Template{Called: {Text: "Số {name}"}}}, // no such placeholder: a name would be personal data
		{Templates: map[Kind]Template{Called: {Text: "Số {number"}}},
		{Quiet: Quiet{From: "21:00"}},
		{Quiet: Quiet{From: "25:00", To: "07:00"}},
		{RetentionDays: 400},
		{NearAhead: -1},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v was taken", bad)
		}
	}
	for _, k := range Kinds {
		if err := checkWording(k, k.DefaultText()); err != nil {
			t.Errorf("the default wording of %s: %v", k, err)
		}
	}
}

func TestQuietHours(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	q := Quiet{From: "21:00", To: "07:00"}
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, loc) }
	for _, c := range []struct{ now, want time.Time }{
		{at(7, 20, 59), at(7, 20, 59)},
		{at(7, 21, 0), at(8, 7, 0)},
		{at(7, 23, 30), at(8, 7, 0)},
		{at(8, 3, 0), at(8, 7, 0)},
		{at(8, 7, 0), at(8, 7, 0)},
	} {
		if got := q.After(c.now.UTC(), loc); !got.Equal(c.want) {
			t.Errorf("After(%v) = %v, want %v", c.now, got, c.want)
		}
	}
	day := Quiet{From: "12:00", To: "13:00"}
	if got := day.After(at(7, 12, 30), loc); !got.Equal(at(7, 13, 0)) {
		t.Errorf("a lunch-time quiet: %v", got)
	}
	s := Settings{Channels: []string{SMS}, Quiet: q}
	m := New("d:X/dossier.ready", Ready, "0912345678", nil, s, at(7, 22, 0), loc)
	if !m.NotBefore.Equal(at(8, 7, 0)) || m.Due(at(7, 23, 0), q, loc) || !m.Due(at(8, 7, 0), q, loc) {
		t.Fatalf("a dossier message at 22:00 is due %v", m.NotBefore)
	}
	n := New("t:X/queue.called", Called, "0912345678", nil, s, at(7, 22, 0), loc)
	if !n.Due(at(7, 22, 0), q, loc) {
		t.Fatal("a queue message waits out the quiet hours")
	}
}

func TestAMessageTriesItsChannelsInOrder(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	s := Settings{Channels: []string{ZNS, SMS}}
	m := New("t:1/queue.called", Called, "0912345678", map[string]string{"number": "1001", "counter": "2"}, s, now, time.UTC)
	if m.Channel() != ZNS || m.Text == "" {
		t.Fatalf("%+v", m)
	}
	m.Begin(now)
	m.Finish(now, Outcome{Answer: "timeout"})
	if m.State != Queued || m.Channel() != ZNS || !m.NotBefore.Equal(now.Add(15*time.Second)) {
		t.Fatalf("after a failure: %+v", m)
	}
	m.Begin(now)
	m.Finish(now, Outcome{Limited: true, RetryAfter: time.Minute, Answer: "rate"})
	if m.Tries != 1 || !m.NotBefore.Equal(now.Add(time.Minute)) {
		t.Fatalf("a rate limit counted as a try: %+v", m)
	}
	m.Begin(now)
	m.Finish(now, Outcome{Permanent: true, Answer: "-118 no Zalo account"})
	if m.Channel() != SMS || m.State != Queued || m.Tries != 0 {
		t.Fatalf("no fallback to SMS: %+v", m)
	}
	m.Begin(now)
	m.Resume() // killed while sending
	if m.State != Queued || m.Tries != 0 {
		t.Fatalf("resumed: %+v", m)
	}
	m.Begin(now)
	m.Finish(now, Outcome{Sent: true, Parts: 1, Answer: "ok"})
	if m.State != Sent || m.Via != SMS || len(m.History) != 4 {
		t.Fatalf("sent: %+v", m)
	}
	f := New("t:2/queue.called", Called, "0912345678", nil, Settings{Channels: []string{SMS}}, now, time.UTC)
	for range triesPerChannel {
		f.Begin(now)
		f.Finish(now, Outcome{Answer: "modem"})
	}
	if f.State != Failed || f.Ended.IsZero() {
		t.Fatalf("never gave up: %+v", f)
	}
	late := New("t:3/queue.near", Near, "0912345678", nil, Settings{Channels: []string{SMS}}, now, time.UTC)
	late.Begin(now)
	late.Finish(now.Add(2*time.Hour), Outcome{Answer: "modem"})
	if late.State != Failed {
		t.Fatalf("a queue message two hours late is still tried: %+v", late)
	}
	late.Erase(now)
	if late.Phone != "" || late.Text != "" || late.Erased.IsZero() {
		t.Fatal("not erased")
	}
}

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{"0912 345 678": "0912345678", "+84 912 345 678": "0912345678", "84912345678": "0912345678", "０９１２３４５６７８": "0912345678"} {
		if got, err := Phone(in); err != nil || got != want {
			t.Errorf("Phone(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "012345678", "0212345678", "09123456789", "abc"} {
		if _, err := Phone(bad); err == nil {
			t.Errorf("Phone(%q) taken", bad)
		}
	}
	if Masked("0912345678") != "091****678" || International("0912345678") != "84912345678" {
		t.Fatal("masked or international")
	}
}
