// Package node assembles one office's server, the way motcua-server, the test
// server and the benchmarks all run it: the bbolt store on a data directory,
// the HTTP API and feed over it (the store is the server's queue, sessions and,
// with a calendar, its dossiers), and an HTTP listener with sane timeouts.
package node

import (
	"context"
	"encoding/json"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/outbox"
	"motcua/internal/queue"
	"motcua/internal/server"
	"motcua/internal/standby"
)

// Node is one running office: its store, its API, and the HTTP server once
// Serve is called.
type Node struct {
	Store  *bolt.Store
	Server *server.Server
	// Outbox tells citizens what the settings say (SMS through gammu
	// with the settings' config file; Zalo when a caller adds its channel
	// before Serve).
	Outbox *outbox.Outbox
	// Standby is the hub a second PC follows (its Wait and Async set
	// before Serve).
	Standby *standby.Hub
	http    *http.Server
	stop    context.CancelFunc
	done    chan struct{}
}

// Open opens (or seeds) the store in dir with office and builds the server
// over it. cfg.Dossiers is the store itself when cfg.Calendar is set (intake
// on) and left nil otherwise; the server keeps the store's clock unless cfg
// names one.
func Open(dir string, office queue.Office, opt bolt.Options, cfg server.Config) (*Node, error) {
	if opt.Users == nil && opt.Devices == nil && opt.Procedures == nil {
		opt.Users, opt.Devices, opt.Procedures = cfg.Users, cfg.Devices, cfg.Procedures.Procedures // they seed a new store's settings
		if cfg.Calendar != nil {
			opt.Calendar = cfg.Calendar.Years()
		}
	}
	store, err := bolt.Open(dir, office, opt)
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = opt.Now
	}
	if cfg.Calendar != nil && cfg.Dossiers == nil {
		cfg.Dossiers = store
	}
	ob := outbox.New(store, map[string]outbox.Channel{
		notify.SMS: gammu.Channel{Config: func(s notify.Settings) string { return s.SMS.GammuConfig }},
	}, slog.Default())
	if opt.Now != nil {
		ob.Now = opt.Now
	}
	cfg.AfterCommit = ob.Nudge
	cfg.Tell = ob.Tell
	hub := standby.NewHub(store)
	hub.Lag = func(lagging bool, why string) {
		if lagging {
			store.Do(context.Background(), queue.Command{Op: queue.OpRaise, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "standby"}, Raised: &queue.Raised{
				Key: "standby:" + time.Now().UTC().Format(time.RFC3339), Kind: queue.AlertStandby,
				Message: "Máy dự phòng không theo kịp: " + why, MessageEN: "The standby is not keeping up: " + why}})
		}
	}
	var ship sync.Once
	cfg.Epoch, cfg.Pos = store.Epoch, store.Pos
	cfg.Following = func() api.StandbyHealth {
		st := hub.Following()
		return api.StandbyHealth{Connected: st.Connected, InStep: st.InStep, Pos: st.Acked, URL: st.URL}
	}
	cfg.Standby = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The changes are kept for a standby from the first time one
		// comes (it takes the whole file then): an office without one
		// pays nothing.
		ship.Do(func() { store.SetShipper(hub); store.SetScanShipper(hub.ShipScan) })
		hub.Serve(w, r)
	})
	fence := filepath.Join(dir, FenceFile)
	cfg.Fenced = func(epoch uint64, primary string) {
		raw, _ := json.Marshal(fenced{Epoch: epoch, Primary: primary})
		if err := os.WriteFile(fence, raw, 0o600); err != nil {
			slog.Error("keeping the fence", "err", err)
		}
	}
	srv := server.New(store, store, cfg)
	if raw, err := os.ReadFile(fence); err == nil {
		var f fenced
		if json.Unmarshal(raw, &f) == nil && f.Epoch > store.Epoch() {
			srv.Fence(f.Epoch, f.Primary)
		}
	}
	return &Node{Store: store, Server: srv, Outbox: ob, Standby: hub}, nil
}

// FenceFile, in the data directory, says that a primary of a higher epoch
// replaced this server (it takes no writes until it is made a standby).
const FenceFile = "fenced.json"

type fenced struct {
	Epoch   uint64 `json:"epoch"`
	Primary string `json:"primary"`
}

// Serve answers HTTP on ln in the background; the returned channel gets the
// error that ended it (http.ErrServerClosed after Shutdown or Close). errorLog
// may be nil.
func (n *Node) Serve(ln net.Listener, errorLog *log.Logger) <-chan error {
	n.http = &http.Server{Handler: n.Server, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: errorLog}
	errc := make(chan error, 1)
	go func() { errc <- n.http.Serve(ln) }()
	var ctx context.Context
	ctx, n.stop = context.WithCancel(context.Background())
	n.done = make(chan struct{})
	go func() { defer close(n.done); n.Outbox.Run(ctx) }()
	return errc
}

// stopOutbox ends the outbox's work (a try under way finishes or is cut
// short; a restart settles it).
func (n *Node) stopOutbox() {
	if n.stop != nil {
		n.stop()
		<-n.done
	}
}

// Shutdown stops cleanly: feed clients are disconnected (they reconnect
// elsewhere or later), requests in flight finish within ctx, then the store
// closes.
func (n *Node) Shutdown(ctx context.Context) error {
	n.stopOutbox()
	n.Server.Close()
	var err error
	if n.http != nil {
		err = n.http.Shutdown(ctx)
	}
	n.Store.Close()
	return err
}

// Close stops at once, the way a crash looks to clients: connections are cut,
// then the feed and the store close.
func (n *Node) Close() {
	if n.http != nil {
		n.http.Close()
	}
	n.stopOutbox()
	n.Server.Close()
	n.Store.Close()
}
