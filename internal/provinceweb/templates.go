package provinceweb

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

var funcs = template.FuncMap{
	"pct":  func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f%%", 100*v), ".", ",", 1) },
	"min1": func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f", v), ".", ",", 1) },
	"when": func(t time.Time, loc time.Time) string {
		if t.IsZero() {
			return "chưa có / never"
		}
		return t.In(loc.Location()).Format("15:04 02/01/2006")
	},
}

const layout = `{{define "top"}}<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — motcua tỉnh</title>
<style>
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;font-size:16px}
header{background:#0b4f8a;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header .who{margin-left:auto;font-size:14px}
header form{display:inline}
header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:3px 10px;cursor:pointer}
main{padding:16px 24px}
h1{font-size:24px;margin:4px 0 12px}
h1 small,th small{font-weight:normal;color:#555;font-size:14px}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:20px}
th,td{border:1px solid #d4d8de;padding:6px 8px;text-align:right;white-space:nowrap}
th{background:#e8edf3;font-size:14px}
td:first-child,th:first-child{text-align:left;white-space:normal}
tr.silent td{background:#fdecea}
.badge{display:inline-block;background:#c62828;color:#fff;border-radius:4px;padding:1px 6px;font-size:13px}
.ok{color:#2e7d32}
.cards{display:flex;gap:16px;margin-bottom:16px}
.card{background:#fff;border:1px solid #d4d8de;border-radius:6px;padding:10px 16px}
.card b{font-size:28px;display:block}
form.filter{background:#fff;border:1px solid #d4d8de;padding:10px 14px;margin-bottom:16px;border-radius:6px}
form.filter label{margin-right:14px}
.offices{max-height:9em;overflow:auto;columns:3;margin:6px 0}
.files a{margin-right:12px}
.msg{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px}
</style></head><body>
<header><span>Hệ thống một cửa — cấp tỉnh</span>
{{if .User.Username}}<a href="/">Hôm nay</a><a href="/xep-hang">Xếp hạng</a><a href="/bao-cao">Báo cáo</a>
<span class="who">{{.User.Name}} ({{if eq .User.Role "province"}}cấp tỉnh{{else}}đơn vị {{.User.Office}}{{end}})
<form method="post" action="/dang-xuat"><button>Đăng xuất</button></form></span>{{end}}</header><main>{{end}}
{{define "bottom"}}</main></body></html>{{end}}`

var pages = map[string]string{
	"login": `{{template "top" .}}<h1>Đăng nhập <small>Log in</small></h1>
{{if .Message}}<p class="msg">{{.Message}}</p>{{end}}
<form method="post" action="/dang-nhap" class="filter" style="max-width:360px">
<p><label>Tên đăng nhập / Username<br><input name="username" autocomplete="username" required autofocus></label></p>
<p><label>Mật khẩu / Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button>Đăng nhập / Log in</button></p></form>{{template "bottom" .}}`,

	"error": `{{template "top" .}}<h1>Không thực hiện được <small>Could not be done</small></h1><p class="msg">{{.Message}}</p>
<p><a href="javascript:history.back()">← Quay lại / Back</a></p>{{template "bottom" .}}`,

	"dashboard": `{{template "top" .}}<h1>Toàn tỉnh hôm nay <small>The province today — {{.Now.Format "15:04 02/01/2006"}}</small></h1>
<div class="cards"><div class="card"><b>{{len .Offices}}</b>đơn vị / offices</div>
<div class="card"><b>{{.Waiting}}</b>người đang chờ / waiting now</div>
<div class="card"><b>{{.Silent}}</b>ngừng đồng bộ / stopped syncing</div></div>
{{if .Alerts}}<h2>Cảnh báo 7 ngày qua <small>Alerts, the last 7 days</small></h2>
<table><tr><th>Lúc <small>At</small></th><th>Đơn vị <small>Office</small></th><th>Việc <small>What</small></th></tr>
{{range .Alerts}}<tr><td>{{.At.Format "15:04 02/01"}}</td><td>{{.Office}}</td><td>{{.What}}</td></tr>{{end}}</table>{{end}}
<table><tr><th>Đơn vị <small>Office</small></th><th>Đang chờ<br><small>Waiting</small></th><th>Chờ lâu nhất (phút)<br><small>Longest wait</small></th>
<th>Cấp số hôm nay<br><small>Issued today</small></th><th>Đã phục vụ<br><small>Served</small></th><th>Chờ TB hôm nay<br><small>Wait mean</small></th>
<th>Đúng hạn tháng này<br><small>On time, month</small></th><th>Hài lòng tháng này<br><small>Satisfied, month</small></th><th>Đồng bộ lần cuối<br><small>Last sync</small></th></tr>
{{range .Offices}}<tr{{if .StoppedSyncing}} class="silent"{{end}}><td><a href="/bao-cao?office={{.ID}}">{{.Name}}</a> <small>{{.ID}}</small></td>
<td>{{.Waiting}}</td><td>{{min1 .LongestWaitMinutes}}</td><td>{{.Today.Issued}}</td><td>{{.Today.Served}}</td><td>{{min1 .Today.WaitMeanMinutes}}</td>
<td>{{if .Resolved}}{{pct .OnTimeRate}} <small>({{.ResolvedInTime}}/{{.Resolved}})</small>{{else}}—{{end}}</td>
<td>{{if .Month.Rated}}{{pct .Month.SatisfiedShare}} <small>({{.Month.Satisfied}}/{{.Month.Rated}})</small>{{else}}—{{end}}</td>
<td>{{when .LastIngest $.Now}}{{if .StoppedSyncing}} <span class="badge">ngừng đồng bộ</span>{{end}}</td></tr>{{end}}
</table>{{template "bottom" .}}`,

	"rankings": `{{template "top" .}}<h1>Xếp hạng đơn vị <small>Offices ranked — {{.From}} … {{.To}}</small></h1>
<form class="filter" method="get"><label>Từ ngày <input type="date" name="from" value="{{.From}}"></label><label>đến ngày <input type="date" name="to" value="{{.To}}"></label>
<label>Xếp theo <select name="sort"><option value="on_time"{{if eq .Sort "on_time"}} selected{{end}}>Tỉ lệ đúng hạn / on-time rate</option>
<option value="satisfied"{{if eq .Sort "satisfied"}} selected{{end}}>Tỉ lệ hài lòng / satisfaction</option>
<option value="wait"{{if eq .Sort "wait"}} selected{{end}}>Thời gian chờ TB / mean wait</option></select></label><button>Xem / Show</button></form>
<table><tr><th>Hạng <small>Rank</small></th><th>Đơn vị <small>Office</small></th><th>Đúng hạn<br><small>On time</small></th><th>Hồ sơ đã giải quyết<br><small>Resolved</small></th>
<th>Hài lòng<br><small>Satisfied</small></th><th>Lượt đánh giá<br><small>Ratings</small></th><th>Chờ TB (phút)<br><small>Wait mean</small></th><th>Cấp số<br><small>Issued</small></th></tr>
{{range .Ranked}}<tr><td>{{.Rank}}</td><td style="text-align:left">{{.Name}} <small>{{.ID}}</small></td><td>{{if .Resolved}}{{pct .OnTime}}{{else}}—{{end}}</td><td>{{.Resolved}}</td>
<td>{{if .Rated}}{{pct .SatisfiedShare}}{{else}}—{{end}}</td><td>{{.Rated}}</td><td>{{min1 .WaitMeanMinutes}}</td><td>{{.Issued}}</td></tr>{{end}}</table>{{template "bottom" .}}`,

	"report": `{{template "top" .}}<h1>Báo cáo <small>Report — {{.Report.Office}}, {{.Report.Period}}</small></h1>
<form class="filter" method="get"><label>Từ ngày <input type="date" name="from" value="{{.From}}"></label><label>đến ngày <input type="date" name="to" value="{{.To}}"></label>
<div class="offices">{{range .Choices}}<label><input type="checkbox" name="office" value="{{.ID}}"{{if .Chosen}}{{if not $.AllChosen}} checked{{end}}{{end}}> {{.Name}}</label><br>{{end}}</div>
<small>Không chọn đơn vị nào: cả tỉnh (mọi đơn vị bạn xem được) / none ticked: every office you see</small><br><button>Xem / Show</button></form>
<p class="files">Tải về / Download: <a href="/bao-cao?{{.Query}}&amp;format=xlsx">Excel (XLSX)</a><a href="/bao-cao?{{.Query}}&amp;format=pdf">PDF</a><a href="/bao-cao?{{.Query}}&amp;format=csv">CSV</a></p>
{{if .Dossiers}}<h2>Hồ sơ <small>Dossiers</small></h2><table>{{range .Dossiers}}<tr><td>{{.Label}}</td><td>{{.Text}}</td></tr>{{end}}</table>{{end}}
{{range .Grids}}{{if .Labels}}{{$g := .}}<h2>{{.Title}} <small>{{.TitleEN}}</small></h2><table><tr><th></th>{{range $i, $h := .Head}}<th>{{$h}}<br><small>{{index $g.HeadEN $i}}</small></th>{{end}}</tr>
{{range $i, $l := .Labels}}<tr><td>{{$l}}</td>{{range $g.Cells $i}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>{{end}}{{end}}
{{template "bottom" .}}`,
}

var templates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for name, text := range pages {
		out[name] = template.Must(template.Must(template.New(name).Funcs(funcs).Parse(layout)).Parse(text))
	}
	return out
}()

// render writes a page; a template's error is the caller's.
func render(w io.Writer, name string, p page) error {
	return templates[name].ExecuteTemplate(w, name, p)
}
