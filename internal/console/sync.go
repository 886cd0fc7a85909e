package console

import (
	"net/http"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The sync page (/admin/sync): where the office's event log ships (the
// province's PostgreSQL and the office's id there), as a change of the
// settings like any other; the replicator follows it within a second, and
// the page shows how the shipping stands. The password is never shown: the
// form carries it masked, and saving the mask keeps it.

// syncView is the sync page: the settings (the password masked) and how the
// shipping stands.
type syncView struct {
	frame
	Version  uint64
	Shipping queue.Sync
	Sync     *api.SyncStatus
}

func (c *Console) syncPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := c.Settings.Settings()
	shipping := c.Settings.Sync().Shown()
	c.render(w, http.StatusOK, syncPage, p, &syncView{Version: v, Shipping: shipping, Sync: c.Room.Shipping(),
		frame: frame{Notice: saved(r, "Đã lưu; việc gửi dữ liệu theo cấu hình mới trong vòng một giây. / Saved; the shipping follows the new settings within a second.")}})
}

// saveSync applies the sync form; a refusal shows the form as typed.
func (c *Console) saveSync(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	f := r.PostForm
	sync := queue.Sync{URL: strings.TrimSpace(f.Get("url")), Key: strings.TrimSpace(f.Get("key")),
		DSN: strings.TrimSpace(f.Get("dsn")), Office: strings.TrimSpace(f.Get("office"))}
	if f.Has("off") {
		sync.URL, sync.Key, sync.DSN = "", "", ""
	}
	if _, err := c.Settings.ChangeSync(r.Context(), p.Actor, base, sync); err != nil {
		shown := sync.Shown() // what was typed, never a password or a key
		e := problem.As(err)
		c.render(w, reply.Status(e.Code), syncPage, p, &syncView{frame: frame{Error: e}, Version: base, Shipping: shown, Sync: c.Room.Shipping()})
		return
	}
	http.Redirect(w, r, "/admin/sync?saved=1", http.StatusSeeOther)
}
