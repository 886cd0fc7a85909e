package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// A roster is a list of the settings edited an entry at a time: the staff,
// the devices. Each post is one action on one entry (or the add form); the
// store keeps the changed list (on the chain); a secret made — a user's
// one-time code, a device's key — is shown on the answer page only, once,
// and kept nowhere but as a hash.
type roster[T any] struct {
	page  *page
	path  string
	saved string // the notice once saved
	field string // the form's field that names the entry
	id    func(T) string
	blank T // the add form's start
	list  func(c *Console) []T
	keep  func(c *Console, ctx context.Context, by queue.Actor, base uint64, list []T) (uint64, error)
	// act applies the form's action to the entry named (at i; -1: none of
	// that name), filling in v what the answer shows.
	act func(c *Console, f url.Values, list []T, i int, v *rosterView[T]) ([]T, error)
	// after runs once the list is kept (a paired device gets its key).
	after func(c *Console, list []T, v *rosterView[T])
	// fill adds what the page shows beside the list.
	fill func(c *Console, v *rosterView[T])
}

// rosterView is a roster's page.
type rosterView[T any] struct {
	frame
	Version   uint64
	Rows      []T
	New       T            // the add form, as typed
	NewSecret *shownSecret // a code or key made just now, shown once
	PairCode  string       // the devices' pairing form, as typed
	Seen      map[string]seenView
}

// shownSecret is a PIN or a device key made just now, and whose it is.
type shownSecret struct{ Owner, Secret string }

func routeRoster[T any](m *http.ServeMux, c *Console, rs roster[T]) {
	m.HandleFunc("GET "+rs.path, c.admin(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		v, _ := c.Settings.Settings()
		c.render(w, http.StatusOK, rs.page, p, rs.view(c, &rosterView[T]{frame: frame{Notice: saved(r, rs.saved)}, Version: v, New: rs.blank}))
	}))
	m.HandleFunc("POST "+rs.path, c.admin(func(w http.ResponseWriter, r *http.Request, p auth.Principal) { rs.save(c, w, r, p) }))
}

// view fills the page's list and what it shows beside it.
func (rs roster[T]) view(c *Console, v *rosterView[T]) *rosterView[T] {
	v.Rows = rs.list(c)
	if rs.fill != nil {
		rs.fill(c, v)
	}
	return v
}

func (rs roster[T]) save(c *Console, w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	list := slices.Clone(rs.list(c))
	name := strings.TrimSpace(r.PostForm.Get(rs.field))
	v := &rosterView[T]{Version: base, New: rs.blank}
	i := slices.IndexFunc(list, func(e T) bool { return rs.id(e) == name })
	list, err := rs.act(c, r.PostForm, list, i, v)
	if err == nil && list != nil {
		v.Version, err = rs.keep(c, r.Context(), p.Actor, base, list)
	}
	if err == nil && rs.after != nil {
		rs.after(c, list, v)
	}
	if err != nil {
		v.Error, v.NewSecret = problem.As(err), nil
		c.render(w, reply.Status(v.Error.Code), rs.page, p, rs.view(c, v))
		return
	}
	if v.NewSecret == nil && v.Notice == "" {
		http.Redirect(w, r, rs.path+"?saved=1", http.StatusSeeOther)
		return
	}
	if rs.id(v.New) == name {
		v.New = rs.blank // added: the form is free again
	}
	c.render(w, http.StatusOK, rs.page, p, rs.view(c, v))
}

func errNoMore(what, whatEN, name string) error {
	return problem.Errorf(problem.EConflict, "Không còn "+what+" %q; hãy tải lại trang", "there is no "+whatEN+" %q any more; reload the page", name)
}

func errThereIs(what, whatEN, name string) error {
	return problem.Errorf(problem.EConflict, "Đã có "+what+" %q", "there is a "+whatEN+" %q already", name)
}

var errUnknownAction = problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
