package provinceweb

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/vntext"
)

// The citizens' pages of the door: find the office (its name typed with or
// without diacritics), choose the service, give a phone number, and follow
// the number given. Phone-sized first, large type, no script at all.

// doorOffice is an office as the door lists it.
type doorOffice struct {
	ID, Name  string
	Services  []queue.ServiceConfig // those taking remote numbers
	Connected bool
	Messages  bool // the office tells its citizens by SMS or Zalo
	Verifies  bool // … and checks a phone with a one-time code first
}

type doorPage struct {
	Title   string
	Query   string
	Offices []doorOffice
	Office  *doorOffice
	Phone   string
	Notify  bool
	Chosen  string
	Error   *problem.Error
	Ticket  *api.RemoteTicket
	Kept    province.Remote // what the province keeps of it (shown when the office is away)
	Fresh   bool            // the office answered just now
	Lapses  string          // HH:MM
	// VerifyID is the request waiting for its phone's code (/xac-nhan/).
	VerifyID string
}

// doorOffices are the offices taking remote numbers, matching query (all
// when it is empty).
func (s *Server) doorOffices(ctx context.Context, query, id string) ([]doorOffice, error) {
	var ids []string
	if id != "" {
		ids = []string{id}
	}
	all, err := province.Offices(ctx, s.Pool, ids)
	if err != nil {
		return nil, err
	}
	var out []doorOffice
	for _, o := range all {
		d := doorOffice{ID: o.ID, Name: o.Name(), Connected: s.hub().Connected(o.ID), Messages: o.Profile.Notify.On(), Verifies: o.Profile.Notify.VerifyPhone}
		for _, svc := range o.Profile.Services {
			if svc.Remote {
				d.Services = append(d.Services, svc)
			}
		}
		if len(d.Services) > 0 && (query == "" || vntext.Match(query, d.Name) || strings.EqualFold(query, d.ID)) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b doorOffice) int { return strings.Compare(vntext.Fold(a.Name), vntext.Fold(b.Name)) })
	return out, nil
}

// takePage is /lay-so: the offices (?q= narrows them), then one office's
// form (?office=).
func (s *Server) takePage(w http.ResponseWriter, r *http.Request) {
	p := doorPage{Title: "Lấy số từ xa", Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len(p.Query) > 100 {
		p.Query = p.Query[:100]
	}
	if id := r.URL.Query().Get("office"); id != "" {
		s.officeForm(w, r, &p, id)
		return
	}
	var err error
	if p.Offices, err = s.doorOffices(r.Context(), p.Query, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	doorRender(w, http.StatusOK, "offices", p)
}

func (s *Server) officeForm(w http.ResponseWriter, r *http.Request, p *doorPage, id string) {
	list, err := s.doorOffices(r.Context(), "", id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(list) != 1 {
		p.Error = problem.As(problem.Errorf(problem.ENotFound, "Không có văn phòng nhận lấy số từ xa với mã %q", "no office taking remote numbers with id %q", id))
		doorRender(w, http.StatusNotFound, "offices", *p)
		return
	}
	p.Office = &list[0]
	p.Title = "Lấy số — " + p.Office.Name
	doorRender(w, http.StatusOK, "form", *p)
}

// takeForm is the form's POST: the number, then its page.
func (s *Server) takeForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	req := api.RemoteTicketRequest{Office: r.PostForm.Get("office"), ServiceID: r.PostForm.Get("service_id"), Phone: r.PostForm.Get("phone"), Notify: r.PostForm.Get("notify") != ""}
	a, err := s.takeRemote(r.Context(), s.clientAddr(r), req, false)
	if sent, ok := errors.AsType[codeSent](err); ok {
		http.Redirect(w, r, sent.Page, http.StatusSeeOther)
		return
	}
	if err == nil {
		http.Redirect(w, r, a.StatusURL, http.StatusSeeOther)
		return
	}
	p := doorPage{Title: "Lấy số từ xa", Phone: req.Phone, Notify: req.Notify, Chosen: req.ServiceID}
	list, lerr := s.doorOffices(r.Context(), "", req.Office)
	if lerr != nil || len(list) != 1 {
		p.Error = problem.As(err)
		doorRender(w, http.StatusNotFound, "offices", p)
		return
	}
	p.Office, p.Error = &list[0], problem.As(err)
	if p.Error.Code == problem.EInternal {
		p.Error = problem.As(problem.Errorf(problem.EInternal, "Chưa lấy được số; xin thử lại sau", "no number could be taken; please try again later"))
	}
	doorRender(w, reply.Status(p.Error.Code), "form", p)
}

// statusPage is /so/{token}: the number, its code for the kiosk, and where
// it stands — asked of the office each time (3 s at most), or what the
// province keeps when the office does not answer.
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	kept, ok, err := province.RemoteByToken(r.Context(), s.Pool, token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		p := doorPage{Title: "Không tìm thấy số", Error: problem.As(problem.Errorf(problem.ENotFound,
			"Không tìm thấy số này; có thể đã hết hạn", "no such number; it may have expired"))}
		doorRender(w, http.StatusNotFound, "status", p)
		return
	}
	p := doorPage{Title: "Số " + kept.Display, Kept: kept}
	ctx, cancel := context.WithTimeout(r.Context(), statusWait)
	defer cancel()
	if a, err := s.hub().Ask(ctx, kept.Office, api.DoorRequest{Kind: api.DoorTicketStatus, Token: token}); err == nil && a.Ticket != nil {
		p.Ticket, p.Fresh = a.Ticket, true
		if !a.Ticket.LapsesAt.IsZero() {
			p.Lapses = a.Ticket.LapsesAt.In(vietnam).Format("15:04")
		}
	}
	if list, err := s.doorOffices(r.Context(), "", kept.Office); err == nil && len(list) == 1 {
		p.Office = &list[0]
	}
	doorRender(w, http.StatusOK, "status", p)
}

// qrPage is the check-in code as a QR (/so/{token}/qr.png), for the kiosk's
// reader to scan off the phone's screen.
func (s *Server) qrPage(w http.ResponseWriter, r *http.Request) {
	kept, ok, err := province.RemoteByToken(r.Context(), s.Pool, r.PathValue("token"))
	if err != nil || !ok {
		http.NotFound(w, r)
		return
	}
	s.serveQR(w, r, kept.CheckIn)
}

// serveQR answers text as a QR image a kiosk's reader scans off a phone.
func (s *Server) serveQR(w http.ResponseWriter, r *http.Request, text string) {
	png, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(png)
}

var vietnam = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}()

func spaced(code string) string {
	if len(code) == 6 {
		return code[:3] + " " + code[3:]
	}
	return code
}

const doorLayout = `{{define "top"}}<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#111;background:#fff;font-size:20px;line-height:1.45}
header{background:#0b4f8a;color:#fff;padding:12px 16px;font-size:18px}
main{padding:12px 16px;max-width:40em;margin:0 auto}
h1{font-size:26px;margin:8px 0 12px}
.en{display:block;color:#444;font-size:16px}
header .en,button .en{color:#fff}
a{color:#0b4f8a}
ul.list{list-style:none;padding:0;margin:0}
ul.list li{border:2px solid #0b4f8a;border-radius:10px;margin:0 0 12px}
ul.list a{display:block;padding:14px 16px;text-decoration:none;font-weight:600}
ul.days{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
ul.days li{margin:0}
ul.days a{padding:12px 6px;text-align:center}
label{display:block;margin:14px 0 6px;font-weight:600}
input[type=search],input[type=tel]{font-size:24px;padding:10px;width:100%;box-sizing:border-box;border:2px solid #555;border-radius:8px}
.choice{display:block;border:2px solid #555;border-radius:10px;padding:12px 14px;margin:0 0 10px;font-weight:normal}
.choice input{width:28px;height:28px;vertical-align:middle;margin-right:10px}
button{font-size:24px;padding:14px 20px;width:100%;background:#0b4f8a;color:#fff;border:0;border-radius:10px;margin-top:16px}
.error{background:#fdecea;border:2px solid #b71c1c;color:#7f0000;padding:12px;border-radius:8px}
.number{font-size:72px;font-weight:700;margin:0;line-height:1.1}
.code{font-size:40px;font-weight:700;letter-spacing:4px}
.box{border:2px solid #0b4f8a;border-radius:12px;padding:12px 16px;margin:12px 0}
.late{border-color:#b71c1c}
img.qr{width:220px;height:220px;display:block;margin:8px 0}
.hint{color:#333;font-size:18px}
a.button{display:block;text-align:center;font-size:22px;padding:12px;border:2px solid #0b4f8a;border-radius:10px;text-decoration:none;font-weight:600}
</style></head><body>
<header>Lấy số, đặt lịch hẹn từ xa — Bộ phận Một cửa <span class="en">A number or a booking from afar</span></header><main>{{end}}
{{define "bottom"}}</main></body></html>{{end}}
{{define "verifies"}}{{if .Verifies}}<p class="hint"><b>Văn phòng gửi một mã xác nhận 6 số tới số điện thoại này</b>; Ông/Bà nhập mã ở trang sau thì mới có số / lịch hẹn. <span class="en">The office sends a 6-digit code to this phone; type it on the next page to get the number or booking.</span></p>{{end}}{{end}}`

var doorPages = map[string]string{
	"offices": `{{template "top" .}}<h1>Chọn văn phòng <span class="en">Choose the office</span></h1>
{{if .Error}}<p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{end}}
<form method="get" action="/lay-so" role="search"><label for="q">Tên phường, xã (gõ có dấu hoặc không dấu) <span class="en">Ward or commune, with or without diacritics</span></label>
<input id="q" name="q" type="search" value="{{.Query}}" maxlength="100" autocomplete="off"><button>Tìm <span class="en">Search</span></button></form>
<ul class="list">{{range .Offices}}<li><a href="/lay-so?office={{.ID}}">{{.Name}}{{if not .Connected}}<span class="en">Tạm không nhận lấy số từ xa / not taking remote numbers now</span>{{end}}</a></li>{{else}}<li><p style="padding:12px">Không có văn phòng nào khớp. <span class="en">No office matches.</span></p></li>{{end}}</ul>
{{template "bottom" .}}`,

	"form": `{{template "top" .}}<h1>{{.Office.Name}}</h1>
{{if .Error}}<p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{end}}
{{if .Office.Connected}}<form method="post" action="/lay-so"><input type="hidden" name="office" value="{{.Office.ID}}">
<fieldset style="border:0;padding:0;margin:0"><legend style="font-weight:600">Dịch vụ <span class="en">Service</span></legend>
{{$chosen := .Chosen}}{{range $i, $s := .Office.Services}}<label class="choice"><input type="radio" name="service_id" value="{{$s.ID}}" required{{if or (eq $s.ID $chosen) (and (eq $chosen "") (eq $i 0))}} checked{{end}}>{{$s.Name}}{{if $s.Subtitle}} <span class="en">{{$s.Subtitle}}</span>{{end}}</label>{{end}}</fieldset>
<label for="phone">Số điện thoại di động <span class="en">Mobile number</span></label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="20" value="{{.Phone}}" placeholder="0912 345 678">
<p class="hint">Mỗi số điện thoại được lấy một số mỗi ngày tại văn phòng này. Số điện thoại chỉ dùng để giữ quy định đó{{if .Office.Messages}}, và chỉ gửi cho văn phòng nếu Ông/Bà chọn nhận tin nhắn dưới đây{{else}} và không gửi cho văn phòng{{end}}. <span class="en">One number a day per phone at this office; the phone number is used only for that{{if .Office.Messages}}, and given to the office only if you choose the messages below{{else}} and is not given to the office{{end}}.</span></p>
{{if .Office.Messages}}<label class="choice"><input type="checkbox" name="notify" value="1"{{if .Notify}} checked{{end}}>Nhắn tin cho tôi khi sắp đến lượt và khi được mời vào quầy <span class="en">Text me when my turn is near and when I am called</span></label>{{end}}
{{template "verifies" .Office}}<button>Lấy số <span class="en">Take a number</span></button></form>
{{else}}<p class="error" role="alert">Văn phòng hiện không nhận lấy số từ xa. Xin mời Ông/Bà lấy số tại văn phòng. <span class="en">The office is not taking remote numbers now; please take a number at the office.</span></p>{{end}}
<p><a href="/lay-so">← Chọn văn phòng khác <span class="en">Another office</span></a></p>{{template "bottom" .}}`,

	"status": `{{template "top" .}}{{if .Error}}<h1>Không tìm thấy số <span class="en">Number not found</span></h1><p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{else}}
<h1>Số thứ tự của Ông/Bà <span class="en">Your number</span></h1>
<p class="number">{{.Kept.Display}}</p>
<p>{{if .Office}}{{.Office.Name}}{{end}}{{with .Ticket}} — {{.ServiceName}}{{end}}</p>
{{with .Ticket}}
{{if eq .State "waiting"}}{{if .Away}}{{if .Passed}}<div class="box late"><b>Đã đến lượt khi Ông/Bà chưa có mặt.</b> Số được giữ chỗ đến {{$.Lapses}}: xin đến ngay và xác nhận ở máy lấy số. <span class="en">Your turn came while you were away; your place is kept until {{$.Lapses}}: come now and check in at the kiosk.</span></div>
{{else if .Ahead}}<div class="box"><b>Còn {{.Ahead}} người trước Ông/Bà</b>{{if .ETAMinutes}}, khoảng {{.ETAMinutes}} phút{{end}}. <span class="en">{{.Ahead}} ahead of you{{if .ETAMinutes}}, about {{.ETAMinutes}} minutes{{end}}.</span></div>
{{else}}<div class="box"><b>Không còn ai trước Ông/Bà: xin đến văn phòng và xác nhận ở máy lấy số.</b> <span class="en">Nobody is ahead of you: come to the office and check in at the kiosk.</span></div>{{end}}
{{else}}<div class="box"><b>Đã xác nhận có mặt. Còn {{.Ahead}} người trước Ông/Bà.</b> <span class="en">Checked in: {{.Ahead}} ahead of you.</span></div>{{end}}
{{else if eq .State "called"}}<div class="box"><b>Mời đến quầy {{.Counter}}</b> <span class="en">Please go to counter {{.Counter}}</span></div>
{{else if eq .State "lapsed"}}<div class="box late"><b>Số đã hết thời gian giữ chỗ.</b> Xin mời lấy số mới. <span class="en">The number lapsed; please take a new one.</span></div>
{{else if eq .State "serving"}}<div class="box"><b>Đang được phục vụ</b> <span class="en">Being served</span></div>
{{else}}<div class="box"><b>Số đã kết thúc</b> <span class="en">This number is over</span></div>{{end}}{{end}}
{{if not .Fresh}}<p class="error">Chưa cập nhật được vị trí: văn phòng chưa trả lời. Số vẫn giữ nguyên. <span class="en">The place could not be updated: the office did not answer. The number stands.</span></p>{{end}}
{{if or (not .Ticket) .Ticket.Away}}<div class="box"><p style="margin:0">Khi đến văn phòng: đưa mã này vào máy lấy số (nút "Tôi đã lấy số trực tuyến") hoặc nhập mã <span class="en">At the office: show this code to the kiosk ("I took a number online"), or type the code</span></p>
<p class="code">{{spaced .Kept.CheckIn}}</p><img class="qr" src="/so/{{.Kept.Token}}/qr.png" alt="Mã QR xác nhận {{spaced .Kept.CheckIn}}"></div>{{end}}
<p><a class="button" href="/so/{{.Kept.Token}}">Cập nhật vị trí <span class="en">Refresh the place</span></a></p>{{end}}
{{template "bottom" .}}`,
}

// templateSet is one page of the door over its layout.
type templateSet = template.Template

func parseDoor(name, text string) *templateSet {
	return template.Must(template.Must(template.New(name).Funcs(template.FuncMap{"spaced": spaced}).Parse(doorLayout)).Parse(text))
}

var doorTemplates = func() map[string]*templateSet {
	out := map[string]*templateSet{}
	for _, pages := range []map[string]string{doorPages, bookPages, verifyPages} {
		for name, text := range pages {
			out[name] = parseDoor(name, text)
		}
	}
	return out
}()

// doorRender writes one of the door's pages (a doorPage or a bookPage).
func doorRender(w http.ResponseWriter, status int, name string, p any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	doorTemplates[name].ExecuteTemplate(w, name, p)
}
