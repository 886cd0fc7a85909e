package provinceweb

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The citizen's booking pages: /dat-lich (the office, its service, a day
// of the coming ones, a free slot, the phone) and /lich/{token} (the
// booking, its code and QR for the kiosk, and its cancellation).

type bookPage struct {
	doorPage
	Service    queue.ServiceConfig
	Services   []queue.ServiceConfig
	Days       []bookDay
	Date       string
	Slots      []api.FreeSlot
	Slot       string
	Booking    *province.Booking
	When       string // the booking's slot, as a Vietnamese writes it
	OfficeName string
	Canceled   bool
}

type bookDay struct{ Value, Label string }

var weekdays = [...]string{"CN", "T2", "T3", "T4", "T5", "T6", "T7"}

var weekdayNames = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// bookingPage is GET /dat-lich: ?office= (else the offices), &service=,
// &date=.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) {
	s.renderBooking(w, r, r.URL.Query(), "", nil)
}

func (s *Server) renderBooking(w http.ResponseWriter, r *http.Request, q map[string][]string, phone string, failure error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	p := bookPage{doorPage: doorPage{Title: "Đặt lịch hẹn", Phone: phone}}
	if failure != nil {
		p.Error = problem.As(failure)
	}
	status := http.StatusOK
	if p.Error != nil {
		status = reply.Status(p.Error.Code)
	}
	id := get("office")
	offices, err := province.Offices(r.Context(), s.Pool, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range offices {
		if id != "" && o.ID != id {
			continue
		}
		var svcs []queue.ServiceConfig
		for _, svc := range o.Profile.Services {
			if svc.Booking != nil {
				svcs = append(svcs, svc)
			}
		}
		if len(svcs) == 0 {
			continue
		}
		if id == "" {
			p.Offices = append(p.Offices, doorOffice{ID: o.ID, Name: o.Name(), Services: svcs, Connected: true})
			continue
		}
		p.Office = &doorOffice{ID: o.ID, Name: o.Name(), Services: svcs, Messages: o.Profile.Notify.On(), Verifies: o.Profile.Notify.VerifyPhone}
		p.Services = svcs
	}
	if id == "" || p.Office == nil {
		if id != "" && p.Error == nil {
			p.Error, status = problem.As(problem.Errorf(problem.ENotFound, "Không có văn phòng nhận đặt lịch với mã %q", "no office taking bookings with id %q", id)), http.StatusNotFound
		}
		doorRender(w, status, "book-offices", p)
		return
	}
	p.Service = p.Services[0]
	for _, svc := range p.Services {
		if svc.ID == get("service") || svc.ID == get("service_id") {
			p.Service = svc
		}
	}
	b, err := s.bookable(r.Context(), id, p.Service.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now().In(b.loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, b.loc)
	for d := range p.Service.Booking.Ahead() + 1 {
		day := today.AddDate(0, 0, d)
		if !b.cal.Working(day.Add(12 * time.Hour)) {
			continue
		}
		p.Days = append(p.Days, bookDay{Value: day.Format("2006-01-02"), Label: weekdays[day.Weekday()] + " " + day.Format("02/01")})
	}
	p.Date = get("date")
	if p.Date == "" && get("slot") != "" && len(get("slot")) >= 10 {
		p.Date = get("slot")[:10]
	}
	if p.Date == "" && len(p.Days) > 0 {
		p.Date = p.Days[0].Value
	}
	p.Slot = get("slot")
	if date, err := time.ParseInLocation("2006-01-02", p.Date, b.loc); err == nil {
		if p.Slots, err = s.free(r.Context(), b, date); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Title = "Đặt lịch — " + p.Office.Name
	doorRender(w, status, "book-form", p)
}

// bookingForm is POST /dat-lich.
func (s *Server) bookingForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	a, err := s.book(r.Context(), s.clientAddr(r), api.BookingRequest{Office: f.Get("office"), ServiceID: f.Get("service_id"), Slot: f.Get("slot"), Phone: f.Get("phone"), Notify: f.Get("notify") != ""}, false)
	if sent, ok := errors.AsType[codeSent](err); ok {
		http.Redirect(w, r, sent.Page, http.StatusSeeOther)
		return
	}
	if err == nil {
		http.Redirect(w, r, a.StatusURL, http.StatusSeeOther)
		return
	}
	if problem.CodeOf(err) == problem.EInternal {
		err = problem.Errorf(problem.EInternal, "Chưa đặt được lịch; xin thử lại sau", "no booking could be made; please try again later")
	}
	s.renderBooking(w, r, f, f.Get("phone"), err)
}

// bookedPage is GET /lich/{token}: the booking, its code and QR, and the
// button that cancels it.
func (s *Server) bookedPage(w http.ResponseWriter, r *http.Request) {
	k, ok, err := province.BookingByToken(r.Context(), s.Pool, r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := bookPage{doorPage: doorPage{Title: "Lịch hẹn"}, Canceled: r.URL.Query().Get("huy") == "1"}
	if !ok {
		p.Error = problem.As(problem.Errorf(problem.ENotFound, "Không tìm thấy lịch hẹn này; có thể đã hết hạn", "no such booking; it may have expired"))
		doorRender(w, http.StatusNotFound, "booked", p)
		return
	}
	p.Booking = &k
	at := k.Slot.In(vietnam)
	p.When = at.Format("15:04") + " — " + weekdayNames[at.Weekday()] + ", " + at.Format("02/01/2006")
	if list, err := province.Offices(r.Context(), s.Pool, []string{k.Office}); err == nil && len(list) == 1 {
		p.OfficeName = list[0].Name()
		for _, svc := range list[0].Profile.Services {
			if svc.ID == k.ServiceID {
				p.Service = svc
			}
		}
	}
	doorRender(w, http.StatusOK, "booked", p)
}

// cancelBooking is POST /lich/{token}/huy.
func (s *Server) cancelBooking(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	k, ok, err := province.BookingByToken(r.Context(), s.Pool, token)
	if err == nil && ok {
		err = province.CancelBooking(r.Context(), s.Pool, token)
	}
	if err != nil && problem.CodeOf(err) != problem.EConflict {
		s.fail(w, r, err)
		return
	}
	if ok {
		s.hub().Nudge(k.Office)
	}
	http.Redirect(w, r, "/lich/"+token+"?huy=1", http.StatusSeeOther)
}

// bookedQR is the booking's code as a QR (/lich/{token}/qr.png).
func (s *Server) bookedQR(w http.ResponseWriter, r *http.Request) {
	k, ok, err := province.BookingByToken(r.Context(), s.Pool, r.PathValue("token"))
	if err != nil || !ok {
		http.NotFound(w, r)
		return
	}
	s.serveQR(w, r, k.Code)
}

var bookPages = map[string]string{
	"book-offices": `{{template "top" .}}<h1>Đặt lịch hẹn: chọn văn phòng <span class="en">Book a time: choose the office</span></h1>
{{if .Error}}<p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{end}}
<ul class="list">{{range .Offices}}<li><a href="/dat-lich?office={{.ID}}">{{.Name}}</a></li>{{else}}<li><p style="padding:12px">Chưa có văn phòng nào nhận đặt lịch. <span class="en">No office takes bookings yet.</span></p></li>{{end}}</ul>
{{template "bottom" .}}`,

	"book-form": `{{template "top" .}}<h1>{{.Office.Name}}</h1>
{{if .Error}}<p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{end}}
{{$o := .Office}}{{$svc := .Service}}{{$date := .Date}}
<nav aria-label="Dịch vụ"><p style="font-weight:600;margin-bottom:4px">Dịch vụ <span class="en">Service</span></p>
<ul class="list">{{range .Services}}<li><a href="/dat-lich?office={{$o.ID}}&amp;service={{.ID}}"{{if eq .ID $svc.ID}} aria-current="true" style="background:#e8f0f8"{{end}}>{{.Name}}</a></li>{{end}}</ul></nav>
<nav aria-label="Ngày"><p style="font-weight:600;margin-bottom:4px">Ngày <span class="en">Day</span></p>
<ul class="list days">{{range .Days}}<li><a href="/dat-lich?office={{$o.ID}}&amp;service={{$svc.ID}}&amp;date={{.Value}}"{{if eq .Value $date}} aria-current="date" style="background:#e8f0f8"{{end}}>{{.Label}}</a></li>{{end}}</ul></nav>
{{if .Slots}}<form method="post" action="/dat-lich"><input type="hidden" name="office" value="{{$o.ID}}"><input type="hidden" name="service_id" value="{{$svc.ID}}">
<fieldset style="border:0;padding:0;margin:0"><legend style="font-weight:600">Giờ hẹn <span class="en">Time</span></legend>
{{$slot := .Slot}}{{range $i, $s := .Slots}}<label class="choice"><input type="radio" name="slot" value="{{$s.Slot}}" required{{if or (eq $s.Slot $slot) (and (eq $slot "") (eq $i 0))}} checked{{end}}>{{slice $s.Slot 11}} <span class="en">còn {{$s.Free}} chỗ / {{$s.Free}} left</span></label>{{end}}</fieldset>
<label for="phone">Số điện thoại di động <span class="en">Mobile number</span></label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="20" value="{{.Phone}}" placeholder="0912 345 678">
<p class="hint">Mỗi số điện thoại được một lịch hẹn mỗi ngày tại văn phòng này; số điện thoại chỉ gửi cho văn phòng để nhắn tin cho Ông/Bà{{if not .Office.Messages}} (văn phòng này không nhắn tin){{end}}. <span class="en">One booking a day per phone at this office; the phone number goes to the office only to text you{{if not .Office.Messages}} (this office sends no messages){{end}}.</span></p>
{{if .Office.Messages}}<label class="choice"><input type="checkbox" name="notify" value="1"{{if .Notify}} checked{{end}}>Nhắn tin xác nhận lịch hẹn cho tôi <span class="en">Text me the booking's confirmation</span></label>{{end}}
{{template "verifies" .Office}}<button>Đặt lịch <span class="en">Book</span></button></form>
{{else}}<p class="error">Ngày này không còn giờ hẹn nào. Xin chọn ngày khác. <span class="en">No time left this day; please choose another.</span></p>{{end}}
<p><a href="/dat-lich">← Chọn văn phòng khác <span class="en">Another office</span></a></p>{{template "bottom" .}}`,

	"booked": `{{template "top" .}}{{if .Error}}<h1>Không tìm thấy lịch hẹn <span class="en">Booking not found</span></h1><p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{else}}{{with .Booking}}
<h1>Lịch hẹn của Ông/Bà <span class="en">Your booking</span></h1>
<p>{{$.OfficeName}}{{if $.Service.Name}} — {{$.Service.Name}}{{end}}</p>
<p class="number" style="font-size:40px">{{$.When}}</p>
{{if eq .State "cancelled"}}<div class="box late"><b>Lịch hẹn đã huỷ.</b> <span class="en">This booking is cancelled.</span></div>
{{else if eq .State "booked"}}<div class="box"><p style="margin:0">Đến văn phòng từ 15 phút trước giờ hẹn; đưa mã này vào máy lấy số (nút "Tôi đã lấy số trực tuyến") hoặc nhập mã <span class="en">Come up to 15 minutes before; show this code to the kiosk ("I took a number online"), or type the code</span></p>
<p class="code">{{spaced .Code}}</p><img class="qr" src="/lich/{{.Token}}/qr.png" alt="Mã QR lịch hẹn {{spaced .Code}}"></div>
<form method="post" action="/lich/{{.Token}}/huy"><button style="background:#fff;color:#b71c1c;border:2px solid #b71c1c">Huỷ lịch hẹn <span class="en" style="color:#b71c1c">Cancel the booking</span></button></form>
{{else}}<div class="box"><b>Đã xác nhận đến.</b> <span class="en">Checked in.</span></div>{{end}}{{end}}{{end}}
{{template "bottom" .}}`,
}
