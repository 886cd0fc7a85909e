package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// LocalAdmin is what the local admin socket (DATA/admin.sock, 0600: the
// server's own user's) needs of the store: a consistent backup while the
// server holds the file, the settings with the users' PIN hashes and the
// shipping's password (export-config and import-config), and verify.
type LocalAdmin interface {
	WriteArchive(w io.Writer) (int64, error)
	Settings() (uint64, queue.Office)
	Users() []queue.StaffUser
	Devices() []queue.Device
	Sync() queue.Sync
	ChangeAll(ctx context.Context, by queue.Actor, base uint64, c queue.SettingsChange) (uint64, error)
	Verify() (uint64, error)
}

// AdminSocket is the local admin socket's API: GET /backup (a tar of the
// store and its scans), GET and PUT /settings, GET /verify. It is served
// on a unix socket only the server's user can open, never on the network.
// Errors go out as every answer's do (reply.Error): a JSON body in both
// languages.
func AdminSocket(store LocalAdmin) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-tar")
		if _, err := store.WriteArchive(w); err != nil {
			panic(http.ErrAbortHandler) // the archive is half sent: the client must see it broken
		}
	})
	mux.HandleFunc("GET /settings", func(w http.ResponseWriter, r *http.Request) {
		v, office := store.Settings()
		doc := queue.SettingsVersion{Version: v, Office: office, Users: store.Users(), Devices: store.Devices()}
		if sync := store.Sync(); sync != (queue.Sync{}) {
			doc.Sync = &sync
		}
		reply.JSON(w, http.StatusOK, doc)
	})
	mux.HandleFunc("PUT /settings", func(w http.ResponseWriter, r *http.Request) {
		var doc queue.SettingsVersion
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&doc); err != nil {
			reply.Error(w, r, reply.DecodeError(err))
			return
		}
		v, err := ImportSettings(r.Context(), store, doc)
		if err != nil {
			reply.Error(w, r, err)
			return
		}
		reply.JSON(w, http.StatusOK, queue.SettingsVersion{Version: v})
	})
	mux.HandleFunc("GET /verify", func(w http.ResponseWriter, r *http.Request) {
		n, err := store.Verify()
		if err != nil {
			reply.Error(w, r, problem.Errorf(problem.EConflict, "Chuỗi sự kiện hoặc bản quét không nguyên vẹn: %v", "%v", err))
			return
		}
		fmt.Fprintf(w, "%d\n", n)
	})
	return mux
}

// ImportSettings puts a settings document's office and, when it lists them,
// its users, devices and sync settings in force (import-config): one change
// of the store, all or nothing.
func ImportSettings(ctx context.Context, store interface {
	ChangeAll(ctx context.Context, by queue.Actor, base uint64, c queue.SettingsChange) (uint64, error)
}, doc queue.SettingsVersion) (uint64, error) {
	by := queue.Actor{Kind: queue.ActorSystem, ID: "import-config"}
	if doc.By.ID != "" {
		by = doc.By
	}
	change := queue.SettingsChange{Office: &doc.Office, Sync: doc.Sync}
	if len(doc.Users) > 0 {
		change.Users = doc.Users
	}
	if len(doc.Devices) > 0 {
		change.Devices = doc.Devices
	}
	return store.ChangeAll(ctx, by, doc.Version, change)
}
