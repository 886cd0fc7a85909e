package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"motcua/assets"
	"motcua/internal/bolt"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/node"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/replicate"
	"motcua/internal/server"
	"motcua/internal/version"
	"motcua/internal/voice"
)

type serveFlags struct {
	demo, demoPublic bool
	config, data     string
	addr             string
	voice            string
	syncURL, syncKey string // the province service's uplink and the office's key there
	syncDSN          string // the province's PostgreSQL (the old way, issue 15)
	syncOffice       string // the office's id there; default its key's (uplink) or its agency code (DSN)
	metricsFrom      []netip.Prefix
	smsGammu         string // gammu-smsd's config file, over the settings' notify.sms.gammu_config
	zaloConfig       string // the office's own Zalo OA (else ZNS goes through the province)
	standbyOf        string // follow the primary at this address (a second PC)
	standbyKey       string // … with this key (motcua-server standby-key on the primary)
	standbyWait      time.Duration
	standbyAsync     bool
}

func parseServeFlags(args []string, stderr io.Writer) (serveFlags, error) {
	var f serveFlags
	fs := flag.NewFlagSet("motcua-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.demo, "demo", false, "seed and run the embedded sample office")
	fs.BoolVar(&f.demoPublic, "demo-public", false, "let demo mode listen beyond loopback")
	fs.StringVar(&f.config, "config", "", "office config file (JSON, docs/CONFIG.md)")
	fs.StringVar(&f.data, "data", "", "data directory (holds motcua.db)")
	fs.StringVar(&f.addr, "addr", "", "listen address (demo default 127.0.0.1:8080, else 0.0.0.0:8080)")
	fs.StringVar(&f.voice, "voice", defaultVoiceDir(), "folder of the stand-in voice clips (make build writes bin/voice)")
	fs.StringVar(&f.syncURL, "sync-url", "", "ship the event log to the province's service at this address (https://…; docs/PROVINCE.md)")
	fs.StringVar(&f.syncKey, "sync-key", "", "the office's key at the province (motcua-province office add)")
	fs.StringVar(&f.smsGammu, "sms-gammu-config", "", "send SMS with gammu-smsd-inject under this gammu-smsd config file (overrides the settings; docs/NOTIFY.md)")
	fs.StringVar(&f.zaloConfig, "zalo-config", "", "send ZNS with the office's own Zalo OA (app, secret, templates; docs/NOTIFY.md) instead of the province's")
	fs.StringVar(&f.syncDSN, "sync-dsn", "", "the old way (the province's PostgreSQL): no longer ships; use --sync-url and --sync-key")
	fs.StringVar(&f.syncOffice, "sync-office", "", "the office's id at the province (default: its agency code)")
	fs.StringVar(&f.standbyOf, "standby-of", "", "be the standby of the primary at this address (http://host:8080; docs/INSTALL.md)")
	fs.StringVar(&f.standbyKey, "standby-key", "", "the standby's key (motcua-server standby-key --data DIR on the primary)")
	fs.DurationVar(&f.standbyWait, "standby-wait", 2*time.Second, "primary: how long a command waits for its standby before going on alone")
	fs.BoolVar(&f.standbyAsync, "standby-async", false, "primary: never wait for the standby (a command acknowledged may be lost with this PC)")
	metricsFrom := fs.String("metrics-from", "", "addresses or networks that may read /metrics without a login, comma-separated (a Prometheus: 10.0.0.5 or 127.0.0.1)")
	if err := fs.Parse(args); err != nil {
		return f, usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return f, usageError(fmt.Sprintf("không hiểu %q / unexpected argument %q", fs.Arg(0), fs.Arg(0)))
	}
	if f.data == "" {
		return f, usageError("thiếu --data DIR / --data DIR is required")
	}
	if f.demo && f.config != "" {
		return f, usageError("dùng --demo hoặc --config FILE (một trong hai) / give either --demo or --config FILE")
	}
	var err error
	if f.metricsFrom, err = server.ParseScrapers(*metricsFrom); err != nil {
		return f, usageError(message(err))
	}
	if err := (queue.Sync{DSN: f.syncDSN, Office: f.syncOffice}).Validate(); err != nil {
		return f, usageError(message(err))
	}
	if f.syncDSN != "" && (f.syncURL != "" || f.syncKey != "") {
		return f, usageError("dùng --sync-url/--sync-key hoặc --sync-dsn (một trong hai) / give either --sync-url and --sync-key or --sync-dsn")
	}
	if (f.standbyOf == "") != (f.standbyKey == "") {
		return f, usageError("--standby-of URL và --standby-key KEY đi cùng nhau / --standby-of URL and --standby-key KEY go together")
	}
	if f.standbyOf != "" && f.demo {
		return f, usageError("máy dự phòng không chạy --demo / a standby does not run --demo")
	}
	if f.addr == "" {
		f.addr = "0.0.0.0:8080"
		if f.demo {
			f.addr = "127.0.0.1:8080"
		}
	}
	return f, nil
}

// loadConfig returns the office config for the flags, refusing demo mode beyond
// loopback and demo credentials in a real config.
func loadConfig(f serveFlags) (fileConfig, error) {
	if f.demo {
		if !f.demoPublic && !isLoopback(f.addr) {
			return fileConfig{}, problem.Errorf(problem.EInvalid,
				"Chế độ demo chỉ nghe trên máy này (127.0.0.1); thêm --demo-public nếu thật sự muốn mở %s", "demo mode listens on loopback only; add --demo-public to really listen on %s", f.addr)
		}
		cfg, err := parseConfig(assets.DemoOffice)
		if err == nil {
			cfg.procedures, err = catalogue.ParseJSON(assets.DemoProcedures, cfg.Office.ServiceIDs())
		}
		if cfg.Office.PublicURL == "" { // the demo is reached where it listens
			cfg.Office.PublicURL = "http://" + f.addr
		}
		return cfg, err
	}
	data, err := os.ReadFile(f.config)
	if err != nil {
		return fileConfig{}, problem.Errorf(problem.EInvalid, "Không đọc được tệp cấu hình %s: %v", "cannot read config file %s: %v", f.config, err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return cfg, err
	}
	if cfg.Catalogue != "" {
		path := cfg.Catalogue
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(f.config), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, problem.Errorf(problem.EInvalid, "Không đọc được danh mục thủ tục %s: %v", "cannot read the procedure catalogue %s: %v", path, err)
		}
		if cfg.procedures, err = catalogue.Parse(path, data, cfg.Office.ServiceIDs()); err != nil {
			return cfg, err
		}
	}
	if err := refuseDemoCredentials(cfg); err != nil {
		return cfg, err
	}
	return cfg, checkPublicURL(cfg.Office.PublicURL)
}

// settingsToStart is the config file's settings, the demo's, or without
// either the ones the data dir keeps — and on a data dir that keeps none,
// those the setup page makes.
func settingsToStart(ctx context.Context, f serveFlags, stdout io.Writer) (fileConfig, error) {
	if f.demo || f.config != "" {
		return loadConfig(f)
	}
	doc, err := bolt.StoredSettings(f.data)
	switch {
	case errors.Is(err, bolt.ErrLocked):
		return fileConfig{}, err
	case err == nil && doc.Version > 0:
		return fileConfig{Office: doc.Office, Users: doc.Users, Devices: doc.Devices, Sync: doc.Sync}, nil
	}
	return runSetup(ctx, f.addr, stdout)
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serve runs the server until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	var ln net.Listener
	var promoted *queue.Actor // by whom, once this standby takes over
	if f.standbyOf != "" {
		follow, err := follows(ctx, f.data, f.standbyOf, stdout)
		if err != nil {
			return err
		}
		if follow {
			if ln, err = net.Listen("tcp", f.addr); err != nil {
				return problem.Errorf(problem.EInvalid, "Không mở được cổng %s: %v", "cannot listen on %s: %v", f.addr, err)
			}
			f.addr = ln.Addr().String() // the primary it may become answers there
			if promoted, err = runStandby(ctx, f, ln, stdout); err != nil || promoted == nil {
				ln.Close()
				return err // stopped as a standby
			}
			ln = nil // closed: listened on again below
		}
	}
	cfg, err := settingsToStart(ctx, f, stdout)
	if err != nil {
		return err
	}
	loc, err := cfg.Office.Location()
	if err != nil {
		return err
	}
	cal, err := loadCalendar(loc, nil, calendar.DefaultHours()) // in the office's zone
	if err != nil {
		return err
	}
	started := time.Now()
	var seed bolt.Options
	if cfg.Sync != nil {
		seed.Sync = *cfg.Sync
	}
	n, err := node.Open(f.data, cfg.Office, seed, server.Config{Users: cfg.Users, Devices: cfg.Devices, Procedures: cfg.procedures, Sample: sampleOffice(),
		Voice: &voice.Clips{Dirs: voiceDirs(cfg, f)}, Calendar: cal, MetricsFrom: f.metricsFrom})
	if err != nil {
		return err
	}
	store := n.Store
	if m := store.Migrated(); m.From < m.To {
		fmt.Fprintf(stdout, "Dữ liệu đã được nâng cấp từ cấu trúc %d lên %d; bản sao trước khi nâng cấp: %s\n  the data was migrated from schema %d to %d; the copy from before: %s\n", m.From, m.To, m.Backup, m.From, m.To, m.Backup)
	}
	settingsInForce(ctx, store, cfg, f.demo, stdout)
	n.Standby.Wait, n.Standby.Async = f.standbyWait, f.standbyAsync
	if promoted != nil {
		epoch, err := store.Promote(*promoted)
		if err != nil {
			n.Close()
			return err
		}
		fmt.Fprintf(stdout, "motcua-server: máy chủ chính lượt %d / the primary of epoch %d\n", epoch, epoch)
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", f.addr); err != nil {
			n.Close()
			return problem.Errorf(problem.EInvalid, "Không mở được cổng %s: %v", "cannot listen on %s: %v", f.addr, err)
		}
	}
	admin, err := listenAdmin(f.data, store)
	if err != nil {
		ln.Close()
		n.Close()
		return err
	}
	defer admin.Close()
	go eraseExpired(ctx, store, store.Office().RetentionDays, stderr)
	r := startSync(ctx, f, store, n.Server, stdout)
	if err := startMessages(f, n, r, stdout); err != nil {
		ln.Close()
		n.Close()
		return err
	}
	errc := n.Serve(ln, log.New(stderr, "http: ", 0))

	base := "http://" + ln.Addr().String()
	mode := "office"
	if f.demo {
		mode = "demo"
	}
	fmt.Fprintf(stdout, "motcua-server %s (%s mode, data %s, ready in %s)\n", version.String(), mode, f.data, time.Since(started).Round(time.Millisecond))
	fmt.Fprintf(stdout, "  API:        %s/api/v1/services\n  Feed:       %s/ws\n  Health:     %s/healthz\n", base, wsURL(base), base)
	if f.demo {
		fmt.Fprintf(stdout, "  Demo:       clerks quay1…quay6 and admin, PIN 1234; kiosk key demo-device; rating screen of counter N: demo-rating-N\n")
	}
	// Last, so launchers and tests that wait for it have the lines above already.
	fmt.Fprintf(stdout, "motcua-server listening on %s\n", base)
	if err := sdNotify("READY=1\nSTATUS=serving on " + base); err != nil {
		fmt.Fprintf(stderr, "telling systemd the server is ready: %v\n", err)
	}

	select {
	case err := <-errc:
		n.Close()
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "motcua-server stopping")
	sdNotify("STOPPING=1")
	admin.Close() // before the store closes under it
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// startSync runs the replicator (off the writer's path: the counters never
// wait for it), shipping where the settings say, each flag overriding its
// field; it follows a change of the settings by itself.
func startSync(ctx context.Context, f serveFlags, store *bolt.Store, srv *server.Server, stdout io.Writer) *replicate.Replicator {
	target := func() queue.Sync {
		t := store.Sync()
		if f.syncURL != "" || f.syncKey != "" {
			t.DSN = ""
			if f.syncURL != "" {
				t.URL = f.syncURL
			}
			if f.syncKey != "" {
				t.Key = f.syncKey
			}
		}
		if f.syncDSN != "" {
			t.DSN, t.URL, t.Key = f.syncDSN, "", ""
		}
		if f.syncOffice != "" {
			t.Office = f.syncOffice
		}
		if t.Uplink() {
			return t // no office id: the key's
		}
		if t.Office == "" {
			t.Office = store.Office().AgencyCode
		}
		if t.Office == "" {
			t.Office = "office"
		}
		return t
	}
	r := &replicate.Replicator{Source: store, Target: target, Door: srv.Door, Bookings: store}
	go r.Run(ctx)
	srv.SetSync(r.Status)
	switch t := target(); {
	case t.On() && t.Validate() != nil:
		fmt.Fprintf(stdout, "  Sync:       %s\n", message(t.Validate()))
	case t.Uplink():
		fmt.Fprintf(stdout, "  Sync:       the event log ships to the province's service %s with the office's key\n", t.Masked())
	case t.On(): // settings of the old way: nothing ships until a key comes
		fmt.Fprintf(stdout, "  Sync:       %s\n", message(replicate.ErrDirect))
	}
	return r
}

func wsURL(base string) string { return "ws" + base[len("http"):] }

// adminSocket is where a running server answers local admin requests (backup),
// so `motcua-server backup --data DIR` works while the server holds the file.
func adminSocket(dir string) string { return filepath.Join(dir, "admin.sock") }

// listenAdmin serves the admin socket (server.AdminSocket) on a unix socket
// only root and the server's user can open.
func listenAdmin(dir string, store *bolt.Store) (io.Closer, error) {
	path := adminSocket(dir)
	os.Remove(path) // a stale socket of a killed server
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin socket %s: %w", path, err)
	}
	os.Chmod(path, 0o600)
	hs := &http.Server{Handler: server.AdminSocket(store), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	return hs, nil
}

// defaultVoiceDir is the voice folder beside the executable (bin/voice).
func defaultVoiceDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "voice"
	}
	return filepath.Join(filepath.Dir(exe), "voice")
}

// voiceDirs are where clips are looked for: the office's recordings first
// (config field voice_dir, relative to the config file), then the stand-ins.
func voiceDirs(cfg fileConfig, f serveFlags) []string {
	var dirs []string
	if cfg.VoiceDir != "" {
		d := cfg.VoiceDir
		if !filepath.IsAbs(d) && f.config != "" {
			d = filepath.Join(filepath.Dir(f.config), d)
		}
		dirs = append(dirs, d)
	}
	return append(dirs, f.voice)
}

// eraseExpired erases, at start and then hourly, the applicant details of
// dossiers that ended more than the retention period ago.
func eraseExpired(ctx context.Context, store *bolt.Store, days int, log io.Writer) {
	for {
		if n, err := store.EraseDossiers(time.Now().AddDate(0, 0, -days)); err != nil {
			fmt.Fprintf(log, "erasing expired personal data: %v\n", err)
		} else if n > 0 {
			fmt.Fprintf(log, "erased the personal data of %d dossiers older than %d days\n", n, days)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// settingsInForce says whose settings run the office: the store's, once it
// has them (the config file only seeded it). A real office is told when its
// file differs, and how to apply it; the demo applies its own file, so that
// a demo data dir follows the demo office of the program that runs it.
func settingsInForce(ctx context.Context, store *bolt.Store, file fileConfig, demo bool, stdout io.Writer) {
	v, office := store.Settings()
	users := store.Users()
	sameUsers := users == nil || len(queue.StaffChanges(users, file.Users)) == 0
	devices := store.Devices()
	sameDevices := devices == nil || len(queue.DeviceChanges(devices, file.Devices)) == 0
	procedures := store.Procedures()
	added, changed, removed := catalogue.Diff(catalogue.Catalogue{Procedures: procedures}, file.procedures)
	sameCatalogue := procedures == nil || len(added)+len(changed)+len(removed) == 0
	sameSync := file.Sync == nil || demo // the demo's file has none: what its console set stays
	if !sameSync {
		kept, err := file.Sync.Keep(store.Sync())
		sameSync = err == nil && len(queue.SyncChanges(store.Sync(), kept)) == 0
	}
	if len(queue.Changes(office, file.Office)) == 0 && sameUsers && sameDevices && (sameCatalogue || !demo) && sameSync {
		return
	}
	if demo {
		by := queue.Actor{Kind: queue.ActorSystem, ID: "demo"}
		_, err := server.ImportSettings(ctx, store, queue.SettingsVersion{Version: v, By: by, Office: file.Office, Users: file.Users, Devices: file.Devices})
		if err == nil {
			_, err = store.ChangeCatalogue(ctx, by, 0, file.procedures)
		}
		if err != nil {
			fmt.Fprintf(stdout, "Chưa áp dụng được văn phòng demo mới / the new demo office is not applied yet: %s\n", message(err))
		}
		return
	}
	fmt.Fprintf(stdout, "Cấu hình trong dữ liệu (phiên bản %d) đang được dùng, khác tệp cấu hình; để dùng tệp: motcua-server import-config --data DIR --file FILE\n"+
		"  the settings in the data (version %d) are in force, not the config file's; to apply the file: motcua-server import-config --data DIR --file FILE\n", v, v)
}
