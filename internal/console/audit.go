package console

import (
	"net/http"
	"slices"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/vntext"
)

// auditView is the settings' history, newest first, filtered.
type auditView struct {
	frame
	FilterWho, FilterWhat string // the filters, as typed
	History               []auditRow
}

type auditRow struct {
	Version uint64
	When    string
	Who     string
	Changes []string
}

func (c *Console) auditPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	history, err := c.Settings.SettingsHistory()
	q := r.URL.Query()
	page := &auditView{FilterWho: strings.TrimSpace(q.Get("who")), FilterWhat: strings.TrimSpace(q.Get("what"))}
	if err != nil {
		page.Error = problem.As(err)
	}
	for i, h := range history {
		row := auditRow{Version: h.Version, When: h.Time.In(c.InForce.Zone()).Format("15:04:05 02/01/2006"), Who: h.By.Name}
		if row.Who == "" {
			row.Who = h.By.ID
		} else {
			row.Who += " (" + h.By.ID + ")"
		}
		if i+1 < len(history) {
			was := history[i+1]
			row.Changes = slices.Concat(queue.Changes(was.Office, h.Office), queue.StaffChanges(was.Users, h.Users),
				queue.DeviceChanges(was.Devices, h.Devices), queue.SyncChanges(was.Shipping(), h.Shipping()))
		} else {
			row.Changes = []string{"khởi tạo từ tệp cấu hình / seeded from the config file"}
		}
		if keep(row, page.FilterWho, page.FilterWhat) {
			page.History = append(page.History, row)
		}
	}
	c.render(w, http.StatusOK, auditPage, p, page)
}

// keep says whether an audit row passes the filters: who made it (a part of
// the name or username) and what it changed (a part of any change's path or
// value), both without regard to case or marks.
func keep(row auditRow, who, what string) bool {
	has := func(text, part string) bool { return strings.Contains(vntext.Fold(text), vntext.Fold(part)) }
	if who != "" && !has(row.Who, who) {
		return false
	}
	return what == "" || slices.ContainsFunc(row.Changes, func(c string) bool { return has(c, what) })
}
