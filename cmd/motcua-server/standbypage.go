package main

import (
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/auth"
	"motcua/internal/queue"
	"motcua/internal/standby"
)

// The standby's console (/admin/standby): where its copy stands, and the
// take-over button — an admin of the office (the copy's own users and
// PINs, the office's limits on guessing), with the confirmation that the
// primary's PC is dead. The button asks the running standby to promote
// itself, as `motcua-server promote` does.

type standbyPage struct {
	State    standby.State
	Asked    bool   // the take-over is under way
	Error    string // the refusal, in both languages
	Username string
}

var standbyTemplate = template.Must(template.New("standby").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Máy chủ dự phòng — motcua</title>
<style>
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#111;font-size:18px;line-height:1.45}
header{background:#5a3b00;color:#fff;padding:12px 16px}
main{padding:12px 16px;max-width:44em}
.en{display:block;color:#444;font-size:15px}
header .en{color:#fff}
table{border-collapse:collapse}td,th{text-align:left;padding:4px 12px 4px 0;vertical-align:top}
.box{border:2px solid #5a3b00;border-radius:10px;padding:12px 16px;margin:16px 0}
.error{background:#fdecea;border:2px solid #b71c1c;color:#7f0000;padding:10px;border-radius:8px}
.ok{background:#e8f5e9;border:2px solid #1b5e20;padding:10px;border-radius:8px}
label{display:block;margin:10px 0 4px;font-weight:600}
input[type=text],input[type=password]{font-size:20px;padding:8px;width:100%;max-width:20em;box-sizing:border-box;border:2px solid #555;border-radius:6px}
input[type=checkbox]{width:24px;height:24px;vertical-align:middle;margin-right:8px}
button{font-size:20px;padding:12px 18px;background:#b71c1c;color:#fff;border:0;border-radius:8px;margin-top:14px}
button .en{color:#fff}
</style></head><body>
<header><b>Máy chủ dự phòng</b> <span class="en">Standby server</span></header><main>
<h1>Máy chủ dự phòng <span class="en">Standby server</span></h1>
<table>
<tr><th>Máy chủ chính <span class="en">Primary</span></th><td>{{.State.Primary}}</td></tr>
<tr><th>Kết nối <span class="en">Connection</span></th><td>{{if .State.Connected}}đang theo dõi / following{{else}}<b>mất kết nối / not connected</b>{{if .State.LastError}} — {{.State.LastError}}{{end}}{{end}}</td></tr>
<tr><th>Đã nhận đến <span class="en">Copy holds</span></th><td>thay đổi {{.State.Pos}}, sự kiện {{.State.Seq}} (lượt {{.State.Epoch}}) <span class="en">change {{.State.Pos}}, event {{.State.Seq}} (epoch {{.State.Epoch}})</span></td></tr>
</table>
{{if .Asked}}<p class="ok" role="status">Đang chuyển máy này thành máy chủ chính; vài giây nữa mở lại trang quản trị. <span class="en">This PC is becoming the primary; open the console again in a few seconds.</span></p>
{{else}}<div class="box">
<h2>Máy chủ chính hỏng — chuyển sang máy này <span class="en">The primary is dead — take over on this PC</span></h2>
<p>Chỉ làm khi máy chủ chính đã hỏng hoặc đã tắt hẳn: hai máy chủ chính cùng lúc sẽ cấp trùng số. <span class="en">Only when the primary's PC is dead or switched off for good: two primaries at once would give the same numbers.</span></p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/admin/standby">
<label for="u">Tên đăng nhập quản trị <span class="en">Admin username</span></label><input id="u" name="username" type="text" autocomplete="username" required value="{{.Username}}">
<label for="p">Mã PIN <span class="en">PIN</span></label><input id="p" name="pin" type="password" inputmode="numeric" autocomplete="current-password" required>
<label><input type="checkbox" name="confirm" value="1" required> Tôi xác nhận máy chủ chính đã hỏng / đã tắt <span class="en">I confirm the primary's PC is dead / switched off</span></label>
<button>Chuyển sang máy này <span class="en">Take over on this PC</span></button>
</form></div>{{end}}
</main></body></html>`))

// standbyConsole serves /admin/standby on a standby.
func standbyConsole(fol *standby.Follower, dir string, guard *auth.Guard) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := standbyPage{State: fol.State()}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 4096)
			r.ParseForm()
			p.Username = strings.TrimSpace(r.PostForm.Get("username"))
			switch err := promoteAsked(fol, dir, guard, auth.ClientAddr(r), p.Username, r.PostForm.Get("pin"), r.PostForm.Get("confirm") != ""); {
			case err != "":
				p.Error = err
				w.WriteHeader(http.StatusForbidden)
			default:
				p.Asked = true
			}
		}
		standbyTemplate.Execute(w, p)
	}
}

var (
	dummyOnce sync.Once
	dummyHash []byte
)

// promoteAsked checks the admin and asks the standby to take over; it
// returns the refusal in both languages ("" when asked).
func promoteAsked(fol *standby.Follower, dir string, guard *auth.Guard, addr, username, pin string, confirmed bool) string {
	if !confirmed {
		return "Cần xác nhận máy chủ chính đã hỏng. / Confirm that the primary is dead."
	}
	doc, err := fol.Copy.Settings()
	if err != nil {
		return "Không đọc được người dùng của bản sao. / The copy's users could not be read."
	}
	wait, ok, _ := guard.Try(username, addr, true, func() (bool, error) {
		for _, u := range doc.Users {
			if u.Username == username && u.Role == queue.RoleAdmin && !u.Disabled && !u.MustSetPIN {
				return bcrypt.CompareHashAndPassword([]byte(u.PINHash), []byte(pin)) == nil, nil
			}
		}
		dummyOnce.Do(func() { dummyHash, _ = bcrypt.GenerateFromPassword([]byte("-"), bcrypt.DefaultCost) })
		bcrypt.CompareHashAndPassword(dummyHash, []byte(pin)) // as long as a known user's: no telling names apart
		return false, nil
	})
	switch {
	case wait > 0:
		return "Sai quá nhiều lần; thử lại sau " + wait.Round(1e9).String() + ". / Too many wrong tries; try again in " + wait.Round(1e9).String() + "."
	case !ok:
		return "Sai tên đăng nhập hoặc mã PIN, hoặc không phải quản trị. / Wrong username or PIN, or not an admin."
	}
	if err := os.WriteFile(filepath.Join(dir, promoteAsk), []byte(username), 0o600); err != nil {
		return "Không ghi được yêu cầu: " + err.Error() + " / The request could not be written."
	}
	return ""
}
