package console

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

func twoServices() queue.Office {
	return queue.Office{Name: "Văn phòng",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "dat_dai", Name: "Đất đai", RangeStart: 3001, RangeEnd: 3999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "dat_dai"}}, {Number: 2, Services: []string{"dat_dai"}}}}
}

// The services page's rows and add form read into the office: each action
// on its row, a removed service leaves the counters too, a stale row or an
// unknown action is refused, and a number typed wrong names its field.
func TestReadServices(t *testing.T) {
	for _, c := range []struct {
		name string
		form url.Values
		ids  []string // the services after, in order
		code string   // the refusal's code, "" for none
		also func(o queue.Office) bool
	}{
		{"down", url.Values{"action": {"down"}, "index": {"0"}}, []string{"dat_dai", "ho_tich"}, "", nil},
		{"up at the top stays", url.Values{"action": {"up"}, "index": {"0"}}, []string{"ho_tich", "dat_dai"}, "", nil},
		{"remove", url.Values{"action": {"remove"}, "index": {"1"}}, []string{"ho_tich"}, "", func(o queue.Office) bool {
			return slices.Equal(o.Counters[0].Services, []string{"ho_tich"}) && len(o.Counters[1].Services) == 0
		}},
		{"save", url.Values{"action": {"save"}, "index": {"0"}, "name": {" Hộ tịch, chứng thực "}, "daily_cap": {"120"}, "procedures": {"Khai sinh; Kết hôn; Khai sinh"}}, []string{"ho_tich", "dat_dai"}, "", func(o queue.Office) bool {
			return o.Services[0].Name == "Hộ tịch, chứng thực" && o.Services[0].DailyCap == 120 && slices.Equal(o.Services[0].Procedures, []string{"Khai sinh", "Kết hôn"})
		}},
		{"add", url.Values{"action": {"add"}, "id": {"chung_thuc"}, "name": {"Chứng thực"}, "range_start": {"2001"}, "range_end": {"2999"}}, []string{"ho_tich", "dat_dai", "chung_thuc"}, "", nil},
		{"add with a wrong number", url.Values{"action": {"add"}, "id": {"x"}, "name": {"X"}, "range_start": {"hai nghìn"}}, []string{"ho_tich", "dat_dai"}, problem.EInvalid, nil},
		{"a row gone meanwhile", url.Values{"action": {"save"}, "index": {"7"}}, nil, problem.EConflict, nil},
		{"an unknown action", url.Values{"action": {"explode"}, "index": {"0"}}, nil, problem.EInvalid, nil},
	} {
		o, _, err := readServices(c.form, twoServices())
		if got := problem.CodeOf(err); err != nil && got != c.code || err == nil && c.code != "" {
			t.Errorf("%s: %v, want code %q", c.name, err, c.code)
			continue
		}
		if c.ids != nil {
			var ids []string
			for _, s := range o.Services {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, c.ids) {
				t.Errorf("%s: services %v, want %v", c.name, ids, c.ids)
			}
		}
		if c.also != nil && !c.also(o) {
			t.Errorf("%s: %+v", c.name, o)
		}
	}
	if _, added, _ := readServices(url.Values{"action": {"add"}, "id": {"x"}, "name": {"Mới"}, "range_start": {"sai"}}, twoServices()); added.(queue.ServiceConfig).Name != "Mới" {
		t.Errorf("a refused add form does not come back as typed: %+v", added)
	}
}

// The office form changes only the fields it sent; the slow factor takes a
// comma; a value out of range is refused in both languages.
func TestReadOffice(t *testing.T) {
	o, _, err := readOffice(url.Values{"authority": {" UBND phường An Phú "}, "alert_slow": {"2,5"}}, twoServices())
	if err != nil || o.Authority != "UBND phường An Phú" || o.Name != "Văn phòng" || o.Alerts.SlowFactor != 2.5 {
		t.Fatalf("%+v %v", o, err)
	}
	for _, bad := range []url.Values{{"alert_slow": {"1000"}}, {"target_wait": {"ba mươi"}}} {
		if _, _, err := readOffice(bad, twoServices()); problem.CodeOf(err) != problem.EInvalid || problem.As(err).MessageEN == "" {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// The counters form reads services separated by commas, spaces or
// semicolons, in lower case.
func TestReadCounters(t *testing.T) {
	o, added, err := readCounters(url.Values{"action": {"add"}, "number": {"3"}, "services": {"HO_TICH; dat_dai,x"}}, twoServices())
	if err != nil || len(o.Counters) != 3 || !slices.Equal(added.(queue.CounterConfig).Services, []string{"ho_tich", "dat_dai", "x"}) {
		t.Fatalf("%+v %+v %v", o.Counters, added, err)
	}
	if o, _, err := readCounters(url.Values{"action": {"remove"}, "index": {"0"}}, twoServices()); err != nil || len(o.Counters) != 1 || o.Counters[0].Number != 2 {
		t.Fatalf("remove: %+v %v", o.Counters, err)
	}
}

// The audit's filters ignore case and marks.
func TestAuditFilter(t *testing.T) {
	row := auditRow{Who: "Nguyễn Thị Lan (lan.nt)", Changes: []string{"services[0].name: Hộ tịch → Hộ tịch, chứng thực"}}
	for _, c := range []struct {
		who, what string
		keep      bool
	}{{"", "", true}, {"nguyen thi", "", true}, {"LAN.NT", "chung thuc", true}, {"tam", "", false}, {"", "dat dai", false}} {
		if got := keep(row, c.who, c.what); got != c.keep {
			t.Errorf("keep(who %q, what %q) = %v", c.who, c.what, got)
		}
	}
}

// The report's presets are periods a click away, in the office's time: this
// month from its first day, the last quarter whole.
func TestPresets(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Date(2026, 5, 20, 23, 30, 0, 0, time.UTC).In(hcm) // 21 May in Hà Nội
	p := presets(now)
	if p[0].From != "2026-05-21" || p[2].From != "2026-05-01" || p[5].From != "2026-01-01" || p[5].To != "2026-03-31" || !strings.Contains(p[4].Label, "Quý 2") {
		t.Fatalf("%+v", p)
	}
}

// A chart with nothing to show says so instead of drawing empty columns.
func TestBarChartWithoutData(t *testing.T) {
	if got := string(barChart("Đến theo giờ", []string{"7h", "8h"}, []float64{0, 0}, func(v float64) string { return "0" })); !strings.Contains(got, "Chưa có số liệu") || strings.Contains(got, "<rect") {
		t.Fatalf("%s", got)
	}
	if got := string(barChart("Đến <b>", []string{"7h"}, []float64{3}, func(v float64) string { return fmt.Sprint(v) })); !strings.Contains(got, "<rect") || strings.Contains(got, "<b>") {
		t.Fatalf("%s", got)
	}
}
