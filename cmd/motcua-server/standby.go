package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/bolt"
	"motcua/internal/node"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/server"
	"motcua/internal/standby"
)

// A second PC (docs/INSTALL.md "Máy thứ hai"): motcua-server --standby-of
// URL --standby-key KEY --data DIR follows the primary at URL until a
// person promotes it (motcua-server promote --data DIR, while it runs or
// not); then it goes on as the primary on the same address.

const (
	standbyMarker = "standby.json"    // in the data dir: it follows (the primary's address)
	promoteAsk    = "promote.request" // in the data dir: promote me (the promote command to a running standby)
)

// follows says whether dir may follow primary: a new dir, or a standby's;
// a primary's data (a standby promoted, an old primary) only when primary
// is a primary of a higher epoch — an old primary re-joining after a
// take-over. Otherwise the data dir's server runs as the primary it is
// (and says why --standby-of is not followed).
func follows(ctx context.Context, dir, primary string, stdout io.Writer) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, standbyMarker)); err == nil {
		return true, nil
	}
	if _, err := os.Stat(filepath.Join(dir, bolt.FileName)); errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	copyOf, err := bolt.OpenFollower(dir)
	if err != nil {
		return false, err
	}
	ours := copyOf.Epoch()
	copyOf.Close()
	theirs, err := api.ReadHealth(ctx, http.DefaultClient, primary, 5*time.Second, nil)
	if err == nil && theirs.Role == api.RolePrimary && theirs.Epoch > ours {
		fmt.Fprintf(stdout, "motcua-server: %s là máy chủ chính lượt %d (dữ liệu này: lượt %d): theo dõi lại từ đầu / %s is the primary of epoch %d (this data: %d): re-joining as its standby\n", primary, theirs.Epoch, ours, primary, theirs.Epoch, ours)
		return true, nil
	}
	why := fmt.Sprintf("%s: %v", primary, err)
	if err == nil {
		why = fmt.Sprintf("%s là %s lượt %d / is the %s of epoch %d", primary, theirs.Role, theirs.Epoch, theirs.Role, theirs.Epoch)
	}
	fmt.Fprintf(stdout, "motcua-server: thư mục này là của máy chủ chính lượt %d, không theo dõi (%s): chạy như máy chủ chính; bỏ --standby-of / this data dir is a primary's (epoch %d) and is not made a copy: running as the primary; drop --standby-of\n", ours, why, ours)
	return false, nil
}

// runStandby follows f.standbyOf and answers on ln as a standby until it is
// promoted (by whom, not nil: the caller goes on as the primary, on ln's
// address, listened on again: a device's request in the moment between is
// refused and tried again) or ctx ends (nil).
func runStandby(ctx context.Context, f serveFlags, ln net.Listener, stdout io.Writer) (*queue.Actor, error) {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(f.data, node.FenceFile)) // a replaced primary re-joining
	mark, _ := json.Marshal(map[string]string{"primary": f.standbyOf})
	if err := os.WriteFile(filepath.Join(f.data, standbyMarker), mark, 0o600); err != nil {
		return nil, err
	}
	copyOf, err := bolt.OpenFollower(f.data)
	if err != nil {
		return nil, err
	}
	fol := &standby.Follower{Copy: copyOf, URL: f.standbyOf, Key: f.standbyKey, Addr: ln.Addr().String()}
	srv := &http.Server{Handler: standbyHandler(fol, f.data), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	fctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { fol.Run(fctx); close(done) }()
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "motcua-server: máy dự phòng của / standby of %s (data %s)\n  Health: %s/healthz\n", f.standbyOf, f.data, base)
	fmt.Fprintf(stdout, "motcua-server standby listening on %s\n", base)
	sdNotify("READY=1\nSTATUS=standby of " + f.standbyOf)
	ask := filepath.Join(f.data, promoteAsk)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var by *queue.Actor
	for by == nil && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
			by = promoteAskedBy(ask)
		}
	}
	stop()
	<-done
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	srv.Shutdown(sctx)
	cancel()
	if err := copyOf.Close(); err != nil {
		return nil, err
	}
	if by == nil {
		fmt.Fprintln(stdout, "motcua-server stopping")
		return nil, nil
	}
	os.Remove(filepath.Join(f.data, standbyMarker))
	os.Remove(ask)
	fmt.Fprintln(stdout, "motcua-server: máy dự phòng trở thành máy chủ chính / the standby becomes the primary")
	return by, nil
}

// promoteAskedBy is who asked the standby to take over: the admin who
// pressed the console's button (the request file holds the name), the
// promote command (empty), or nil when nobody asked.
func promoteAskedBy(ask string) *queue.Actor {
	b, err := os.ReadFile(ask)
	switch {
	case err != nil:
		return nil
	case len(b) == 0:
		return &queue.Actor{Kind: queue.ActorSystem, ID: "promote"}
	}
	return &queue.Actor{Kind: queue.ActorAdmin, ID: string(b)}
}

// standbyHandler answers as a standby: /healthz says where it stands,
// /admin/standby is its console (the take-over button); anything else is
// 503 with the primary's address (devices go there).
func standbyHandler(fol *standby.Follower, dir string) http.Handler {
	console := standbyConsole(fol, dir, auth.NewGuard(nil))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/standby" || r.URL.Path == "/admin" || r.URL.Path == "/" {
			console(w, r)
			return
		}
		st := fol.State()
		if r.Method == http.MethodGet && r.URL.Path == api.Healthz {
			reply.AllowLAN(w.Header(), r.Header.Get("Origin")) // a board on the primary's page asks
			reply.JSON(w, http.StatusOK, api.Health{Status: "ok", Role: api.RoleStandby, Epoch: st.Epoch, Pos: st.Pos, Primary: st.Primary,
				Standby: &api.StandbyHealth{Connected: st.Connected, InStep: st.Connected, Pos: st.Pos, Seq: st.Seq, LastError: st.LastError}})
			return
		}
		w.Header().Set("X-Motcua-Primary", st.Primary)
		// A browser (a TV's board) is told where the primary is, and
		// loads the page again every 15 s: once this PC takes over, it is
		// served here.
		reply.Elsewhere(w, r, problem.Errorf(problem.EUnavailable, "Đây là máy chủ dự phòng; máy chủ chính: %s", "this is the standby server; the primary is %s", st.Primary), st.Primary, 15)
	})
}

// runStandbyKey makes the key a standby follows with (a device of kind
// standby, replacing any before it: one standby at a time), on the chain,
// and prints it on the last line.
func runStandbyKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	data, err := dataFlags("standby-key", args, stderr, nil)
	if err != nil {
		return err
	}
	doc, err := storedSettings(ctx, data)
	if err != nil {
		return fmt.Errorf("standby-key: %w", err)
	}
	var raw [24]byte
	rand.Read(raw[:])
	key := base64.RawURLEncoding.EncodeToString(raw[:])
	devices := []queue.Device{{ID: "standby", Kind: queue.DeviceStandby, Key: key}}
	for _, d := range doc.Devices {
		if d.Kind != queue.DeviceStandby && d.ID != "standby" {
			devices = append(devices, d)
		}
	}
	put := queue.SettingsVersion{Version: doc.Version, Office: doc.Office, Devices: devices, By: queue.Actor{Kind: queue.ActorSystem, ID: "standby-key"}}
	if err := putSettings(ctx, data, put); err != nil {
		return fmt.Errorf("standby-key: %w", err)
	}
	fmt.Fprintf(stdout, "Khoá cho máy dự phòng (dùng với --standby-key; khoá cũ hết hiệu lực) / the standby's key (for --standby-key; any older one no longer works):\n%s\n", key)
	return nil
}

// putSettings puts doc in force: through the running server's admin
// socket, else in the store directly.
func putSettings(ctx context.Context, data string, doc queue.SettingsVersion) error {
	store, err := bolt.Open(data, doc.Office, bolt.Options{})
	if errors.Is(err, bolt.ErrLocked) {
		body, _ := json.Marshal(doc)
		return adminDo(ctx, data, http.MethodPut, "/settings", strings.NewReader(string(body)), func(io.Reader) error { return nil })
	}
	if err != nil {
		return err
	}
	_, err = server.ImportSettings(ctx, store, doc)
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	return err
}

// runPromote makes the standby in --data the primary: a running one is
// asked (it goes on as the primary on its address); a stopped one's store
// takes the next epoch, and it starts as the primary next time.
func runPromote(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	data, err := dataFlags("promote", args, stderr, func(fs *flag.FlagSet) {})
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(data, bolt.FileName)); err != nil {
		return problem.Errorf(problem.ENotFound, "Không có dữ liệu ở %s", "no data in %s", data)
	}
	store, err := bolt.Open(data, queue.Office{}, bolt.Options{})
	if errors.Is(err, bolt.ErrLocked) { // it runs: ask it
		if _, err := os.Stat(filepath.Join(data, standbyMarker)); err != nil {
			return problem.Errorf(problem.EConflict, "Máy chủ ở %s đang chạy và không phải máy dự phòng", "the server on %s runs and is not a standby", data)
		}
		if err := os.WriteFile(filepath.Join(data, promoteAsk), nil, 0o600); err != nil {
			return err
		}
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := os.Stat(filepath.Join(data, promoteAsk)); errors.Is(err, os.ErrNotExist) {
				fmt.Fprintln(stdout, "Máy dự phòng đang trở thành máy chủ chính / the standby is becoming the primary")
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		return problem.Errorf(problem.EUnavailable, "Máy dự phòng chưa nhận yêu cầu sau 30 giây", "the standby did not take the request within 30 s")
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(data, standbyMarker)); err != nil {
		store.Close()
		return problem.Errorf(problem.EConflict, "%s không phải dữ liệu của máy dự phòng", "%s is not a standby's data", data)
	}
	epoch, err := store.Promote(queue.Actor{Kind: queue.ActorSystem, ID: "promote"})
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	os.Remove(filepath.Join(data, standbyMarker))
	fmt.Fprintf(stdout, "Đã chuyển thành máy chủ chính, lượt %d; chạy motcua-server --data %s (không cần --standby-of) / now the primary, epoch %d; start motcua-server --data %s (without --standby-of)\n", epoch, data, epoch, data)
	return nil
}
