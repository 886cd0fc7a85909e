package bolt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/testserver"
)

// The store fixture (testdata/store-2026-12/) is a data directory written
// by the server of December 2026 (schema 1, before numbered migrations), and
// what it holds (manifest.json); TestOpensAnOlderStore opens a copy with
// today's code. `MOTCUA_WRITE_FIXTURE=1 go test -run TestWriteFixture
// ./internal/bolt` writes it again (only ever with the code of its day).

const fixtureDir = "testdata/store-2026-12"

// manifest is what the fixture holds, as its day's server reported it.
type manifest struct {
	Seq      uint64            `json:"seq"`
	Days     map[string]int    `json:"days"`     // YYYY-MM-DD -> tickets
	Tickets  map[string]string `json:"tickets"`  // ticket id -> state
	Dossiers map[string]string `json:"dossiers"` // code -> applicant's name
	Status   map[string]string `json:"status"`   // code -> status
	Version  uint64            `json:"settings_version"`
	Office   string            `json:"office_name"`
	Users    []string          `json:"users"`
	Sync     queue.Sync        `json:"sync"`
}

func fixtureOffice() queue.Office {
	return queue.Office{
		Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01", Authority: "UBND phường Thử", Place: "Thử", TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "tra_ket_qua", Name: "Trả kết quả", RangeStart: 5001, RangeEnd: 5999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "tra_ket_qua"}}, {Number: 2, Services: []string{"ho_tich"}}},
	}
}

var fixtureProcedure = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich", Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays},
	Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"}}}

func TestWriteFixture(t *testing.T) {
	if os.Getenv("MOTCUA_WRITE_FIXTURE") == "" {
		t.Skip("writes testdata/store-2026-12 (MOTCUA_WRITE_FIXTURE=1)")
	}
	dir := t.TempDir()
	clock := testserver.NewClock(time.Date(2026, 11, 24, 1, 30, 0, 0, time.UTC)) // 08:30 in the office, a Tuesday
	url, stop := testserver.StartClock(t, "127.0.0.1:0", dir, fixtureOffice(), clock.Now, fixtureProcedure)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	clerk := client.New(url, "")
	m := manifest{Days: map[string]int{}, Tickets: map[string]string{}, Dossiers: map[string]string{}, Status: map[string]string{}}
	names := []string{"Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Minh Đức"}
	for day := range 2 {
		if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil { // each morning
			t.Fatal(err)
		}
		for i := range 6 {
			if _, err := kiosk.Issue(ctx, "ho_tich", ""); err != nil {
				t.Fatal(err)
			}
			clock.Add(3 * time.Minute)
			called, ok, err := clerk.Next(ctx, 1)
			if err != nil || !ok {
				t.Fatalf("call: %v %v", ok, err)
			}
			clock.Add(time.Minute)
			switch i % 3 {
			case 0: // served, a dossier received
				if _, err := clerk.TicketAction(ctx, 1, api.ActStart, api.CounterRequest{}); err != nil {
					t.Fatal(err)
				}
				name := names[(day*2+i/3)%len(names)]
				got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: fixtureProcedure.Code, Sets: 1, Delivery: "desk", TicketID: called.ID, Counter: 1,
					Applicant: intake.Applicant{Name: name, IDNumber: fmt.Sprintf("00120300456%d", i), Phone: "0912345678"}, Received: []string{"Tờ khai", "Giấy chứng sinh"}})
				if err != nil {
					t.Fatal(err)
				}
				m.Dossiers[got.Dossier.Code] = name
				m.Status[got.Dossier.Code] = string(intake.Received)
				if day == 0 {
					if _, err := clerk.SetDossierStatus(ctx, got.Dossier.Code, intake.Processing, ""); err != nil {
						t.Fatal(err)
					}
					m.Status[got.Dossier.Code] = string(intake.Processing)
				}
				clock.Add(5 * time.Minute)
				if _, err := clerk.TicketAction(ctx, 1, api.ActFinish, api.CounterRequest{}); err != nil {
					t.Fatal(err)
				}
			case 1: // no-show
				if _, err := clerk.TicketAction(ctx, 1, api.ActNoShow, api.CounterRequest{}); err != nil {
					t.Fatal(err)
				}
			case 2: // served
				if _, err := clerk.TicketAction(ctx, 1, api.ActStart, api.CounterRequest{}); err != nil {
					t.Fatal(err)
				}
				clock.Add(4 * time.Minute)
				if _, err := clerk.TicketAction(ctx, 1, api.ActFinish, api.CounterRequest{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		clock.Add(24 * time.Hour)
	}
	stop()

	s, err := bolt.Open(dir, fixtureOffice(), bolt.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	admin := queue.Actor{Kind: queue.ActorAdmin, ID: testserver.AdminUser, Name: "Quản trị"}
	_, office := s.Settings()
	office.Name = "Bộ phận Một cửa phường Thử (đổi tên)"
	if _, err := s.ChangeSettings(ctx, admin, 0, office); err != nil {
		t.Fatal(err)
	}
	m.Sync = queue.Sync{DSN: "postgres://motcua:S3cr3t@tinh.example/motcua", Office: "XA.01"}
	if _, err := s.ChangeSync(ctx, admin, 0, m.Sync); err != nil {
		t.Fatal(err)
	}
	m.Version, office = s.Settings()
	m.Office = office.Name
	for _, u := range s.Users() {
		m.Users = append(m.Users, u.Username)
	}
	if err := s.EachTicket("20261124", "20261125", func(tk queue.Ticket) error {
		m.Tickets[tk.ID] = string(tk.State)
		m.Days[tk.Day]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m.Seq = s.Snapshot().Seq
	s.Close()
	os.RemoveAll(fixtureDir)
	os.MkdirAll(fixtureDir, 0o755)
	raw, _ := os.ReadFile(filepath.Join(dir, bolt.FileName))
	os.WriteFile(filepath.Join(fixtureDir, bolt.FileName), raw, 0o644)
	raw, _ = json.MarshalIndent(m, "", "  ")
	os.WriteFile(filepath.Join(fixtureDir, "manifest.json"), append(raw, '\n'), 0o644)
	t.Logf("wrote %s: %d events, %d tickets, %d dossiers", fixtureDir, m.Seq, len(m.Tickets), len(m.Dossiers))
}
