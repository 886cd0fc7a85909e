package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/assets"
	"motcua/internal/bolt"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// import-config seeds an empty data dir and changes a kept one (on the chain);
// export-config writes what is in force; with the server running, the import
// goes through its admin socket and is live at once.
func TestImportExportConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "office.json")
	os.WriteFile(file, assets.DemoOffice, 0o600)
	runOK := func(args ...string) string {
		t.Helper()
		var out, errs strings.Builder
		if code := run(context.Background(), args, nil, &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errs.String())
		}
		return out.String()
	}
	if out := runOK("import-config", "--data", dir, "--file", file); !strings.Contains(out, "version 1") {
		t.Fatalf("the first import: %q", out)
	}
	exported := runOK("export-config", "--data", dir)
	var cfg fileConfig
	if err := json.Unmarshal([]byte(exported), &cfg); err != nil || len(cfg.Office.Services) == 0 {
		t.Fatalf("export: %v\n%s", err, exported)
	}
	// The exported file, changed, goes back in: version 2.
	cfg.Office.Name = "Trung tâm Phục vụ hành chính công phường Mới"
	hash, _ := bcrypt.GenerateFromPassword([]byte("135790"), bcrypt.MinCost) // a real office's file: no demo logins
	cfg.Users = []server.User{{Username: "lan.nt", Name: "Nguyễn Thị Lan", Role: server.RoleClerk, PINHash: string(hash)}}
	cfg.Office.PublicURL = "http://127.0.0.1:8080"
	raw, _ := json.Marshal(cfg)
	os.WriteFile(file, raw, 0o600)
	if out := runOK("import-config", "--data", dir, "--file", file); !strings.Contains(out, "version 2") { // the office and the users: one change
		t.Fatalf("the second import: %q", out)
	}
	if doc, err := bolt.StoredSettings(dir); err != nil || doc.Version != 2 || doc.Office.Name != cfg.Office.Name || len(doc.Users) != 1 || doc.Users[0].Username != "lan.nt" {
		t.Fatalf("stored: version %d %q %+v %v", doc.Version, doc.Office.Name, doc.Users, err)
	}
	runOK("verify", "--data", dir)

	// While the server runs (it holds the file), through its admin socket, live.
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Go(func() {
		run(ctx, []string{"--config", file, "--data", dir, "--addr", "127.0.0.1:0"}, nil, pw, io.Discard)
		pw.Close()
	})
	defer func() { cancel(); io.Copy(io.Discard, pr); wg.Wait() }()
	base := waitURL(t, pr) // and drains the rest of the log
	cfg.Office.Services = append(cfg.Office.Services, queue.ServiceConfig{ID: "moi", Name: "Dịch vụ mới", RangeStart: 9001, RangeEnd: 9099})
	raw, _ = json.Marshal(cfg)
	os.WriteFile(file, raw, 0o600)
	if out := runOK("import-config", "--data", dir, "--file", file); !strings.Contains(out, "version 3") {
		t.Fatalf("the live import: %q", out)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/api/v1/services")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"moi"`) {
		t.Fatalf("the running server does not serve the imported service: %s", body)
	}
	if out := runOK("export-config", "--data", dir); !strings.Contains(out, "Dịch vụ mới") || !strings.Contains(out, `"lan.nt"`) {
		t.Errorf("export while running lacks the new service or the users")
	}
}
