package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The office's own settings are edited on three pages — the office, its
// services, its counters — each a form over the one queue.Office: read
// what the form sent over the office in force, change it through the store,
// and go back to the page; a refusal shows the page with the reason and
// nothing typed lost.

// officeForm is one of those pages.
type officeForm struct {
	page  *page
	path  string
	saved string // the notice once saved
	// read applies the form to office; added is an add form's entry, as typed.
	read func(f url.Values, office queue.Office) (changed queue.Office, added any, err error)
	// typed: a refusal shows the office as the form had it (else as in force).
	typed func(f url.Values) bool
	// view is the page's data.
	view func(c *Console, v officeView, added any) view
}

// officeView is what the three pages share.
type officeView struct {
	frame
	Version uint64
	Office  queue.Office
}

// servicesView is the services page: each service's settings and how it stands today.
type servicesView struct {
	officeView
	New   queue.ServiceConfig // the add form, as typed
	Today map[string]queue.ServiceStatus
}

// countersView is the counters page, with who works at each one now.
type countersView struct {
	officeView
	NewCounter queue.CounterConfig // the add form, as typed
	Working    map[int]string
}

var officeForms = []officeForm{
	{page: officePage, path: "/admin", read: readOffice, typed: func(url.Values) bool { return true },
		saved: "Đã lưu; kiosk, quầy và bảng đã nhận cấu hình mới. / Saved; kiosks, counters and boards have the new settings.",
		view: func(c *Console, v officeView, _ any) view {
			home := &officeHome{officeView: v, Steps: c.checklist(v.Office)}
			for _, s := range home.Steps[:len(home.Steps)-1] { // the province is optional
				if !s.Done {
					home.Left++
				}
			}
			return home
		}},
	{page: servicesPage, path: "/admin/services", read: readServices, typed: func(f url.Values) bool { return f.Get("action") == "save" },
		saved: "Đã lưu; kiosk, quầy và bảng đã nhận cấu hình mới. / Saved; kiosks, counters and boards have the new settings.",
		view: func(c *Console, v officeView, added any) view {
			sv := &servicesView{officeView: v, Today: c.today()}
			sv.New, _ = added.(queue.ServiceConfig)
			return sv
		}},
	{page: countersPage, path: "/admin/counters", read: readCounters, typed: func(f url.Values) bool { return f.Get("action") == "save" },
		saved: "Đã lưu; quầy và bảng đã nhận cấu hình mới. / Saved; counters and boards have the new settings.",
		view: func(c *Console, v officeView, added any) view {
			cv := &countersView{officeView: v, Working: c.working()}
			cv.NewCounter, _ = added.(queue.CounterConfig)
			return cv
		}},
}

func (c *Console) showOffice(f officeForm) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		v, office := c.Settings.Settings()
		c.render(w, http.StatusOK, f.page, p, f.view(c, officeView{frame: frame{Notice: saved(r, f.saved)}, Version: v, Office: office}, nil))
	}
}

// saveOffice puts the form's office in force and goes back to its page.
func (c *Console) saveOffice(f officeForm) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
		_, office := c.Settings.Settings()
		office, added, err := f.read(r.PostForm, office)
		if err == nil {
			_, err = c.Settings.ChangeSettings(r.Context(), p.Actor, base, office)
		}
		if err == nil {
			http.Redirect(w, r, f.path+"?saved=1", http.StatusSeeOther)
			return
		}
		if !f.typed(r.PostForm) {
			_, office = c.Settings.Settings()
		}
		e := problem.As(err)
		c.render(w, reply.Status(e.Code), f.page, p, f.view(c, officeView{frame: frame{Error: e}, Version: base, Office: office}, added))
	}
}

// readOffice reads the office page: a field the form did not send keeps its value.
func readOffice(f url.Values, office queue.Office) (queue.Office, any, error) {
	for _, field := range []struct {
		key string
		to  *string
	}{{"name", &office.Name}, {"name_en", &office.NameEN}, {"authority", &office.Authority}, {"place", &office.Place},
		{"agency_code", &office.AgencyCode}, {"time_zone", &office.TimeZone}, {"public_url", &office.PublicURL}} {
		if f.Has(field.key) {
			*field.to = strings.TrimSpace(f.Get(field.key))
		}
	}
	var err error
	if f.Has("retention_days") {
		office.RetentionDays, err = formInt(f, "retention_days", "số ngày giữ thông tin", "retention days")
	}
	for _, n := range []struct {
		key, vi, en string
		to          *int
	}{{"alert_wait", "cảnh báo chờ lâu (phút)", "long wait alert (minutes)", &office.Alerts.WaitMinutes},
		{"alert_paused", "cảnh báo tạm nghỉ lâu (phút)", "long pause alert (minutes)", &office.Alerts.PausedMinutes},
		{"alert_silent", "cảnh báo thiết bị im lặng (phút)", "silent device alert (minutes)", &office.Alerts.SilentMinutes},
		{"target_wait", "mục tiêu thời gian chờ (phút)", "target wait (minutes)", &office.Rules.TargetWaitMinutes},
		{"min_cases", "số trường hợp tối thiểu để tính tỉ lệ, xếp loại", "fewest cases for a rate or a grade", &office.Rules.MinCases},
		{"remote_lapse", "giữ chỗ số lấy từ xa (phút)", "remote number kept (minutes)", &office.Rules.RemoteLapseMinutes},
		{"dossier_digits", "số chữ số của mã hồ sơ", "dossier code digits", &office.DossierDigits}} {
		if f.Has(n.key) && err == nil {
			*n.to, err = formInt(f, n.key, n.vi, n.en)
		}
	}
	for _, h := range []struct {
		key, vi, en string
		to          *[]calendar.Session
	}{{"hours", "giờ làm việc", "working hours", &office.Hours.Weekday},
		{"saturday_hours", "giờ làm việc thứ Bảy", "Saturday hours", &office.Hours.Saturday}} {
		if f.Has(h.key) && err == nil {
			*h.to, err = readSessions(f.Get(h.key), h.vi, h.en)
		}
	}
	if raw := strings.TrimSpace(f.Get("alert_slow")); f.Has("alert_slow") && err == nil {
		v := 0.0 // empty, as the other figures: the default (the placeholder shows it)
		if raw != "" {
			var e error
			v, e = strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
			if e != nil || v < 0 || v > 100 {
				err = problem.Errorf(problem.EInvalid, "Hệ số phục vụ chậm %q phải là số từ 0 đến 100", "the slow service factor %q must be a number from 0 to 100", raw)
			}
		}
		office.Alerts.SlowFactor = v
	}
	return office, nil, err
}

// readSessions reads working sessions as an office writes them:
// "7:30-11:30, 13:30-17:00" (a hyphen or a dash between; "" none). The
// office's check (Office.Validate) then says whether they are in order.
func readSessions(raw, vi, en string) ([]calendar.Session, error) {
	var out []calendar.Session
	for part := range strings.FieldsFuncSeq(raw, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(strings.NewReplacer("–", "-", "—", "-").Replace(part), "-")
		a, errA := clockOf(from)
		b, errB := clockOf(to)
		if !ok || errA != nil || errB != nil {
			return nil, problem.Errorf(problem.EInvalid, vi+": %q không đúng dạng 7:30-11:30", en+": %q is not like 7:30-11:30", part)
		}
		out = append(out, calendar.Session{Start: a, End: b})
	}
	return out, nil
}

// clockOf writes "7:30" as "07:30".
func clockOf(s string) (string, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	return t.Format("15:04"), nil
}

// readServices reads one row of the services page (save, up, down, remove)
// or the add form.
func readServices(f url.Values, office queue.Office) (queue.Office, any, error) {
	office.Services = slices.Clone(office.Services)
	if f.Get("action") == "add" {
		svc, err := serviceForm(f, queue.ServiceConfig{ID: strings.TrimSpace(f.Get("id"))})
		if err == nil {
			office.Services = append(office.Services, svc)
		}
		return office, svc, err
	}
	i, err := strconv.Atoi(f.Get("index"))
	if err != nil || i < 0 || i >= len(office.Services) {
		return office, nil, problem.Errorf(problem.EConflict, "Danh sách dịch vụ đã đổi; hãy tải lại trang", "the list of services changed; reload the page")
	}
	switch f.Get("action") {
	case "save":
		svc, err := serviceForm(f, office.Services[i])
		office.Services[i] = svc
		return office, nil, err
	case "up":
		if i > 0 {
			office.Services[i-1], office.Services[i] = office.Services[i], office.Services[i-1]
		}
	case "down":
		if i+1 < len(office.Services) {
			office.Services[i+1], office.Services[i] = office.Services[i], office.Services[i+1]
		}
	case "remove":
		id := office.Services[i].ID
		office.Services = slices.Delete(office.Services, i, i+1)
		office.Counters = slices.Clone(office.Counters)
		for c := range office.Counters { // counters stop serving it
			office.Counters[c].Services = slices.DeleteFunc(slices.Clone(office.Counters[c].Services), func(s string) bool { return s == id })
		}
	default:
		return office, nil, problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
	}
	return office, nil, nil
}

// readCounters reads one row of the counters page (save, remove) or the add form.
func readCounters(f url.Values, office queue.Office) (queue.Office, any, error) {
	office.Counters = slices.Clone(office.Counters)
	// The services ticked (the page offers the office's own, in its order),
	// or typed as ids (a scripted post).
	var ids []string
	for _, id := range f["service"] {
		ids = append(ids, strings.TrimSpace(id))
	}
	for _, id := range strings.FieldsFunc(f.Get("services"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		ids = append(ids, strings.ToLower(id))
	}
	if len(ids) == 0 && f.Get("action") != "remove" {
		return office, nil, problem.Errorf(problem.EInvalid, "Hãy chọn ít nhất một dịch vụ cho quầy", "choose at least one service for the counter")
	}
	if f.Get("action") == "add" {
		n, err := formInt(f, "number", "số quầy", "counter number")
		added := queue.CounterConfig{Number: n, Name: strings.TrimSpace(f.Get("name")), Services: ids}
		office.Counters = append(office.Counters, added)
		return office, added, err
	}
	i, err := strconv.Atoi(f.Get("index"))
	if err != nil || i < 0 || i >= len(office.Counters) {
		return office, nil, problem.Errorf(problem.EConflict, "Danh sách quầy đã đổi; hãy tải lại trang", "the list of counters changed; reload the page")
	}
	switch f.Get("action") {
	case "save":
		office.Counters[i] = queue.CounterConfig{Number: office.Counters[i].Number, Name: strings.TrimSpace(f.Get("name")), Services: ids}
	case "remove":
		office.Counters = slices.Delete(office.Counters, i, i+1)
	default:
		return office, nil, problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
	}
	return office, nil, nil
}

// serviceForm reads a service's fields over svc.
func serviceForm(f url.Values, svc queue.ServiceConfig) (queue.ServiceConfig, error) {
	svc.Name, svc.NameEN, svc.Subtitle = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("name_en")), strings.TrimSpace(f.Get("subtitle"))
	if f.Has("opens") {
		svc.Opens, svc.Closes = strings.TrimSpace(f.Get("opens")), strings.TrimSpace(f.Get("closes"))
	}
	if f.Has("remote_shown") { // the row's checkboxes, sent only when ticked
		svc.Remote = f.Get("remote") == "1"
		if err := readBooking(f, &svc); err != nil {
			return svc, err
		}
	}
	if f.Has("procedures") {
		svc.Procedures = nil
		for _, name := range strings.Split(f.Get("procedures"), ";") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(svc.Procedures, name) {
				svc.Procedures = append(svc.Procedures, name)
			}
		}
	}
	var err error
	for _, n := range []struct {
		key, vi, en string
		to          *int
	}{{"range_start", "số đầu", "first number", &svc.RangeStart}, {"range_end", "số cuối", "last number", &svc.RangeEnd},
		{"daily_cap", "tối đa mỗi ngày", "daily cap", &svc.DailyCap}, {"minutes_per_ticket", "phút mỗi số", "minutes per ticket", &svc.MinutesPerTicket},
		{"remote_daily_cap", "số lấy từ xa tối đa mỗi ngày", "remote numbers a day", &svc.RemoteDailyCap}} {
		if !f.Has(n.key) {
			continue
		}
		v, e := formInt(f, n.key, n.vi, n.en)
		*n.to = v
		if err == nil {
			err = e
		}
	}
	return svc, err
}

// readBooking reads a service row's booking: none when unticked; ticked,
// its slot's minutes and people (30 and 2 when left empty), days ahead
// and the day's share (their defaults when empty).
func readBooking(f url.Values, svc *queue.ServiceConfig) error {
	if f.Get("booking") != "1" {
		svc.Booking = nil
		return nil
	}
	b := queue.Booking{}
	if svc.Booking != nil {
		b = *svc.Booking
	}
	for _, n := range []struct {
		key, vi, en string
		to          *int
		empty       int
	}{{"slot_minutes", "phút mỗi lượt", "minutes a slot", &b.SlotMinutes, 30}, {"per_slot", "người mỗi lượt", "people a slot", &b.PerSlot, 2},
		{"days_ahead", "đặt trước (ngày)", "days ahead", &b.DaysAhead, 0}, {"share_percent", "tỉ lệ đặt trước", "booked share", &b.SharePercent, 0}} {
		v, err := formInt(f, n.key, n.vi, n.en)
		if err != nil {
			return err
		}
		if v == 0 {
			v = n.empty
		}
		*n.to = v
	}
	svc.Booking = &b
	return nil
}

// formInt reads a whole number (empty: 0).
func formInt(f url.Values, key, vi, en string) (int, error) {
	raw := strings.TrimSpace(f.Get(key))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, problem.Errorf(problem.EInvalid, "Ô %q phải là số nguyên, không phải %q", "%q must be a whole number, not %q", vi, raw)
	}
	return n, nil
}

// today is how each service stands now (closed today, waiting), beside its settings.
func (c *Console) today() map[string]queue.ServiceStatus {
	out := map[string]queue.ServiceStatus{}
	for _, st := range c.Floor.Services() {
		out[st.ID] = st
	}
	return out
}

// working says who works at each counter now, from the live state.
func (c *Console) working() map[int]string {
	out := map[int]string{}
	for _, k := range c.Floor.Snapshot().Counters {
		switch {
		case k.State == queue.CounterClosed:
			out[k.Number] = "đóng / closed"
		case k.State == queue.CounterPaused:
			out[k.Number] = k.ClerkName + " — tạm nghỉ / paused"
		case k.Current != "":
			out[k.Number] = k.ClerkName + " — đang phục vụ / serving"
		default:
			out[k.Number] = k.ClerkName
		}
	}
	return out
}

// saveServiceToday closes a service for the rest of today, or opens it.
func (c *Console) saveServiceToday(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	f := r.PostForm
	st, err := c.Room.ServiceToday(r, p, f.Get("id"), f.Get("action"), f.Get("reason"))
	v, office := c.Settings.Settings()
	page := &servicesView{officeView: officeView{Version: v, Office: office}, Today: c.today()}
	if err != nil {
		page.Error = problem.As(err)
		c.render(w, reply.Status(page.Error.Code), servicesPage, p, page)
		return
	}
	page.Notice = "Đã mở lại " + st.Name + ": kiosk cấp số ngay. / " + st.Name + " is open again: the kiosks issue at once."
	switch {
	case st.ClosedToday && st.Waiting > 0:
		page.Notice = fmt.Sprintf("Đã tạm ngừng %s đến hết hôm nay; %d người đang chờ vẫn được phục vụ. / %s issues no more tickets today; the %d waiting are still served.", st.Name, st.Waiting, st.Name, st.Waiting)
	case st.ClosedToday:
		page.Notice = "Đã tạm ngừng " + st.Name + " đến hết hôm nay; không còn ai chờ. / " + st.Name + " issues no more tickets today; nobody waits for it."
	}
	c.render(w, http.StatusOK, servicesPage, p, page)
}
