package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/gammu"
	"motcua/internal/intake"
	"motcua/internal/notify"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
)

var khaiSinh = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich", Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays},
	Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"}}}

// office sends SMS through gammu with cfg, marks kept.
func office(cfg string) queue.Office {
	return queue.Office{
		Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01", PublicURL: "https://motcua.thu.example.vn",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "tra_ket_qua", Name: "Trả kết quả", RangeStart: 5001, RangeEnd: 5999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "tra_ket_qua"}}, {Number: 2, Services: []string{"ho_tich"}}},
		Notify:   notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{GammuConfig: cfg, Unicode: true}, NearAhead: 1},
	}
}

// sms waits for the message to phone in gammu's outbox that contains want.
func sms(t *testing.T, sp gammu.Spool, phone, want string) gammu.File {
	t.Helper()
	var got []string
	var found gammu.File
	testwait.Until(t, 10*time.Second, func() bool {
		got = nil
		for _, f := range sp.Files(time.Time{}) {
			text := strings.Join(f.Parts, "")
			got = append(got, f.Number+": "+text)
			if f.Number == phone && strings.Contains(text, want) {
				found = f
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprintf("no SMS to %s with %q; the modem's outbox: %q", phone, want, got) })
	return found
}

func count(sp gammu.Spool, phone string) int {
	n := 0
	for _, f := range sp.Files(time.Time{}) {
		if f.Number == phone {
			n++
		}
	}
	return n
}

// The queue's messages through the real gammu-smsd-inject: a phone given
// with the ticket and one given after it printed; "called to counter N"
// and "your turn is near" as the office words them; staff see each
// message's state; nothing is told twice.
func TestTheQueueTellsThroughTheModem(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := office(cfg)
	o.Notify.Templates = map[notify.Kind]notify.Template{notify.Called: {Text: "{office}: mời số {number} đến quầy {counter}."}}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, khaiSinh)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	phones := []string{"0912345678", "0987654321", "0356789012"}
	var tickets []api.TicketView
	for i, p := range phones {
		req := api.IssueRequest{ServiceID: "ho_tich"}
		if i != 1 {
			req.Phone = p
		}
		tk, err := kiosk.IssueFor(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
	}
	if err := kiosk.GivePhone(ctx, tickets[1].Ticket.ID, "+84 987 654 321"); err != nil {
		t.Fatal(err)
	}
	if _, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: "12345"}); err == nil || !strings.Contains(err.Error(), "điện thoại") {
		t.Fatalf("a bad phone: %v", err)
	}
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if err := clerk.GivePhone(ctx, tickets[0].Ticket.ID, phones[0]); err == nil {
		t.Fatal("a clerk added a phone to a ticket")
	}
	if _, err := clerk.CounterAction(ctx, 1, "open"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := clerk.Next(ctx, 1); err != nil || !ok {
		t.Fatal(ok, err)
	}
	first := tickets[0].Ticket.Display
	sms(t, sp, phones[0], "mời số "+first+" đến quầy 1.")
	// Two wait: the first of them is now 0 ahead, the second 1 (near_ahead 1).
	sms(t, sp, phones[1], "sắp đến lượt số "+tickets[1].Ticket.Display+", còn 0 người trước")
	sms(t, sp, phones[2], "sắp đến lượt số "+tickets[2].Ticket.Display+", còn 1 người trước")

	var msgs []api.MessageView
	testwait.Until(t, 5*time.Second, func() bool {
		msgs, err = clerk.Messages(ctx, tickets[0].Ticket.ID, "")
		return err == nil && len(msgs) == 1 && msgs[0].State == notify.Sent
	}, func() string { return fmt.Sprintf("%+v %v", msgs, err) })
	if m := msgs[0]; m.Via != notify.SMS || m.Phone != "091****678" || m.Parts != 1 || m.Kind != notify.Called || m.KindName == "" {
		t.Fatalf("the message as staff see it: %+v", m)
	}
	if _, err := kiosk.Messages(ctx, tickets[0].Ticket.ID, ""); err == nil {
		t.Fatal("a kiosk read the messages")
	}
	// The next call tells the next ticket it is called; the third is told
	// "near" once only.
	for _, action := range []string{"start", "finish"} {
		if _, err := clerk.TicketAction(ctx, 1, action, api.CounterRequest{}); err != nil {
			t.Fatal(action, err)
		}
	}
	if _, ok, err := clerk.Next(ctx, 1); err != nil || !ok {
		t.Fatal(ok, err)
	}
	sms(t, sp, phones[1], "mời số "+tickets[1].Ticket.Display)
	if n := count(sp, phones[2]); n != 1 {
		t.Fatalf("the third ticket was told %d times", n)
	}
}

// A dossier's messages go to the applicant who agreed, each once; quiet
// hours hold them.
func TestTheDossierTellsItsApplicant(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office(cfg), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	who := intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567", Phone: "0912 345 678"}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: who, Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk", Notify: true})
	if err != nil {
		t.Fatal(err)
	}
	d := got.Dossier
	f := sms(t, sp, "0912345678", "đã tiếp nhận hồ sơ "+d.Code)
	if text := strings.Join(f.Parts, ""); !strings.Contains(text, "ma="+d.Code+"&pin="+d.LookupPIN) || !strings.Contains(text, d.DueAt.In(time.Local).Format("02/01/2006")[:2]) {
		t.Fatalf("the received message: %q", text)
	}
	if _, err := clerk.SetDossierStatus(ctx, d.Code, intake.Processing, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.SetDossierStatus(ctx, d.Code, intake.Ready, ""); err != nil {
		t.Fatal(err)
	}
	sms(t, sp, "0912345678", "hồ sơ "+d.Code+" đã có kết quả")
	msgs, err := clerk.Messages(ctx, "", d.Code)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%+v %v", msgs, err)
	}
	// Without the applicant's consent nothing is sent.
	other, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Lê Văn Tư", Phone: "0987654321"}, Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "X", Phone: "123"}, Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk", Notify: true}); err == nil {
		t.Fatal("consent with no valid phone was taken")
	}
	if msgs, _ := clerk.Messages(ctx, "", other.Dossier.Code); len(msgs) != 0 {
		t.Fatalf("messages without consent: %+v", msgs)
	}
}

// Quiet hours on the office's clock: a dossier received at 22:00 is told
// at 07:00; a queue message at 22:00 goes at once.
func TestQuietHoursHoldTheDossiersMessages(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := testserver.NewClock(time.Date(2026, 12, 7, 22, 0, 0, 0, loc))
	o := office(cfg)
	o.TimeZone = "Asia/Ho_Chi_Minh"
	o.Notify.Quiet = notify.Quiet{From: "21:00", To: "07:00"}
	url, _ := testserver.StartClock(t, "127.0.0.1:0", t.TempDir(), o, clock.Now, khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa", Phone: "0912345678"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk", Notify: true})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []api.MessageView
	testwait.Until(t, 5*time.Second, func() bool {
		msgs, _ = clerk.Messages(ctx, "", got.Dossier.Code)
		return len(msgs) == 1
	}, func() string { return fmt.Sprintf("%+v", msgs) })
	kiosk := client.New(url, testserver.KioskKey)
	if _, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: "0987654321"}); err != nil {
		t.Fatal(err)
	}
	clerk.CounterAction(ctx, 1, "open")
	clerk.Next(ctx, 1)
	sms(t, sp, "0987654321", "đến quầy 1") // at 22:00: the queue does not wait
	if n := count(sp, "0912345678"); n != 0 || msgs[0].State != notify.Queued {
		t.Fatalf("a dossier's message went at 22:00: %d SMS, %+v", n, msgs[0])
	}
	clock.Add(9*time.Hour + time.Minute) // 07:01: the sender sees it within 5 s
	sms(t, sp, "0912345678", "đã tiếp nhận hồ sơ "+got.Dossier.Code)
}

// callFirst opens counter 1 with a clerk and calls the first ticket.
func callFirst(t *testing.T, url string) *client.Client {
	t.Helper()
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	clerk.CounterAction(ctx, 1, "open")
	if _, ok, err := clerk.Next(ctx, 1); err != nil || !ok {
		t.Fatal(ok, err)
	}
	return clerk
}

// unsynced is gammu whose disk will not sync for a while.
type unsynced struct {
	gammu.Channel
	fail atomic.Bool
}

func (u *unsynced) Flush(s notify.Settings) error {
	if u.fail.Load() {
		return errors.New("EIO")
	}
	return u.Channel.Flush(s)
}

// A message gammu took but the disk did not keep is not recorded as sent:
// it stays queued, and the next try finds it in gammu's outbox (by its
// name) instead of writing it twice.
func TestAMessageIsSentOnlyOnceItIsOnTheDisk(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n, url, _ := testserver.StartNode(t, t.TempDir(), office(cfg), nil, khaiSinh)
	ch := &unsynced{Channel: gammu.Channel{Config: func(notify.Settings) string { return cfg }}}
	ch.fail.Store(true)
	n.Outbox.SetChannel(notify.SMS, ch)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	tk, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: "0912345678"})
	if err != nil {
		t.Fatal(err)
	}
	clerk := callFirst(t, url)
	var msgs []api.MessageView
	testwait.Until(t, 10*time.Second, func() bool {
		msgs, err = clerk.Messages(ctx, tk.Ticket.ID, "")
		return err == nil && len(msgs) == 1 && strings.Contains(msgs[0].Answer, "chưa ghi được xuống đĩa")
	}, func() string { return fmt.Sprintf("%+v %v", msgs, err) })
	if msgs[0].State != notify.Queued {
		t.Fatalf("recorded before it was on the disk: %+v", msgs[0])
	}
	ch.fail.Store(false)
	testwait.Until(t, 30*time.Second, func() bool {
		msgs, err = clerk.Messages(ctx, tk.Ticket.ID, "")
		return err == nil && len(msgs) == 1 && msgs[0].State == notify.Sent
	}, func() string { return fmt.Sprintf("%+v %v", msgs, err) })
	if c := count(sp, "0912345678"); c != 1 {
		t.Fatalf("%d SMS in gammu's folders, want 1", c)
	}
}

// What the province may ask an office to send over its door: a phone's
// code or a booking's confirmation only, with their own parameters, to a
// real phone, once per request id; anything else is refused and nothing
// is sent.
func TestTheDoorTellsOnlyWhatItMay(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n, _, _ := testserver.StartNode(t, t.TempDir(), office(cfg), nil, khaiSinh)
	ctx := context.Background()
	code := &api.Tell{Kind: notify.Code, Params: map[string]string{"otp": "123456", "minutes": "10"}}
	for _, c := range []struct {
		req  api.DoorRequest
		want int
	}{
		{api.DoorRequest{ID: "a1", Kind: api.DoorTell, Phone: "0912345678", Tell: code}, 202},
		{api.DoorRequest{ID: "a1", Kind: api.DoorTell, Phone: "0912345678", Tell: code}, 202}, // again: sent once
		{api.DoorRequest{ID: "a2", Kind: api.DoorTell, Phone: "0912345678", Tell: &api.Tell{Kind: notify.Called, Params: map[string]string{"number": "1", "counter": "1"}}}, 400},
		{api.DoorRequest{ID: "a3", Kind: api.DoorTell, Phone: "0912345678", Tell: &api.Tell{Kind: notify.Code, Params: map[string]string{"otp": "1", "link": "https://evil.example"}}}, 400},
		{api.DoorRequest{ID: "a4", Kind: api.DoorTell, Phone: "0912345678", Tell: &api.Tell{Kind: notify.Code, Params: map[string]string{"office": "Ngân hàng"}}}, 400},
		{api.DoorRequest{ID: "a5", Kind: api.DoorTell, Phone: "12345", Tell: code}, 400},
		{api.DoorRequest{ID: "a6", Kind: api.DoorTell, Phone: "", Tell: code}, 409},
		{api.DoorRequest{ID: "a7", Kind: api.DoorTell, Phone: "0912345678"}, 400},
		{api.DoorRequest{ID: "", Kind: api.DoorTell, Phone: "0912345678", Tell: code}, 400},
	} {
		if a := n.Server.Door(ctx, c.req); a.Status != c.want || a.Ticket != nil {
			t.Errorf("%+v: %d %+v, want %d", c.req, a.Status, a.Error, c.want)
		}
	}
	sms(t, sp, "0912345678", "mã xác nhận của ông/bà là 123456")
	if c := count(sp, "0912345678"); c != 1 {
		t.Fatalf("%d messages sent, want 1", c)
	}
}
