package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"motcua/assets"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

func TestDemoConfigIsValid(t *testing.T) {
	cfg, err := parseConfig(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Office.Services) < 5 || len(cfg.Office.Counters) != 6 {
		t.Errorf("demo office has %d services and %d counters", len(cfg.Office.Services), len(cfg.Office.Counters))
	}
	for n := 1; n <= 6; n++ {
		found := false
		for _, u := range cfg.Users {
			if u.Username == "quay"+string(rune('0'+n)) && bcrypt.CompareHashAndPassword([]byte(u.PINHash), []byte("1234")) == nil {
				found = true
			}
		}
		if !found {
			t.Errorf("demo clerk quay%d with PIN 1234 missing", n)
		}
	}
	if !errors.Is(refuseDemoCredentials(cfg), errDemoCredentials) {
		t.Error("the demo config passes as a real one")
	}
}

// realConfig is the demo office with real-looking credentials.
func realConfig(t *testing.T) fileConfig {
	cfg, _ := parseConfig(assets.DemoOffice)
	hash, _ := bcrypt.GenerateFromPassword([]byte("837261"), bcrypt.MinCost)
	for i := range cfg.Users {
		cfg.Users[i].PINHash = string(hash)
	}
	for i := range cfg.Devices {
		cfg.Devices[i].Key = strings.Repeat(string(rune('a'+i)), 32)
	}
	return cfg
}

func TestRealConfigChecks(t *testing.T) {
	cfg := realConfig(t)
	if err := refuseDemoCredentials(cfg); err != nil {
		t.Fatalf("real config refused: %v", err)
	}
	mod := func(f func(*fileConfig)) []byte {
		c := realConfig(t)
		f(&c)
		b, _ := json.Marshal(c)
		return b
	}
	tests := map[string][]byte{
		"not json":       []byte("{"),
		"unknown field":  []byte(`{"office":{},"colour":"red"}`),
		"trailing":       append(mod(func(*fileConfig) {}), []byte(" {}")...),
		"bad role":       mod(func(c *fileConfig) { c.Users[0].Role = "boss" }),
		"plain PIN":      mod(func(c *fileConfig) { c.Users[0].PINHash = "1234" }),
		"dup user":       mod(func(c *fileConfig) { c.Users[1].Username = c.Users[0].Username }),
		"bad device":     mod(func(c *fileConfig) { c.Devices[0].Kind = "printer" }),
		"shared key":     mod(func(c *fileConfig) { c.Devices[1].Key = c.Devices[0].Key }),
		"office invalid": mod(func(c *fileConfig) { c.Office.Services = nil }),
		"ranges overlap": mod(func(c *fileConfig) { c.Office.Services[1].RangeStart = c.Office.Services[0].RangeEnd }),
	}
	for name, data := range tests {
		_, err := parseConfig(data)
		if e := problem.As(err); err == nil || e.Code != problem.EInvalid || e.Message == "" || e.MessageEN == "" {
			t.Errorf("%s: got %v, want an invalid-config error in both languages", name, err)
		}
	}
	demoKey := realConfig(t)
	demoKey.Devices[0].Key = "demo-device"
	demoPIN := realConfig(t)
	hash, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	demoPIN.Users[2].PINHash = string(hash)
	for name, c := range map[string]fileConfig{"demo key": demoKey, "demo PIN": demoPIN} {
		if !errors.Is(refuseDemoCredentials(c), errDemoCredentials) {
			t.Errorf("%s: accepted in a real config", name)
		}
	}
}

func TestDemoRefusesPublicAddress(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true}, {"localhost:0", false, true}, {"[::1]:8080", false, true},
		{"0.0.0.0:8080", false, false}, {":8080", false, false}, {"192.168.1.5:80", false, false},
		{"0.0.0.0:8080", true, true},
	} {
		_, err := loadConfig(serveFlags{demo: true, demoPublic: tc.public, addr: tc.addr})
		if (err == nil) != tc.ok {
			t.Errorf("demo on %s (public %v): err %v", tc.addr, tc.public, err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "office.json")
	os.WriteFile(path, assets.DemoOffice, 0o600)
	if _, err := loadConfig(serveFlags{config: path, addr: ":8080"}); !errors.Is(err, errDemoCredentials) {
		t.Errorf("a real start with the demo file: got %v, want refusal", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(string(assets.DemoOffice))
	f.Add(string(assets.ExampleOffice))
	f.Add(`{"office":{"name":"x","services":[{"id":"a","name":"A","range_start":1,"range_end":0}]}}`)
	f.Fuzz(func(t *testing.T, data string) {
		cfg, err := parseConfig([]byte(data))
		if err != nil {
			if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		if _, err := queue.NewState(cfg.Office, fixedNow, nil, nil); err != nil {
			t.Fatalf("accepted config does not build a state: %v", err)
		}
	})
}

// A config names its procedure catalogue relative to itself; a broken catalogue
// stops the start with a message in both languages.
func TestConfigCatalogue(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(assets.ExampleOffice, &raw); err != nil {
		t.Fatal(err)
	}
	raw["catalogue"], raw["users"], raw["devices"] = "thu-tuc.json", []any{}, []any{}
	data, _ := json.Marshal(raw)
	dir := t.TempDir()
	path := filepath.Join(dir, "office.json")
	os.WriteFile(path, data, 0o600)

	if _, err := loadConfig(serveFlags{config: path}); err == nil || !strings.Contains(problem.As(err).MessageEN, "cannot read the procedure catalogue") {
		t.Fatalf("missing catalogue: %v", err)
	}
	cfg, _ := parseConfig(data)
	proc := fmt.Sprintf(`{"procedures":[{"code":"X.1","name":"Thủ tục thử","service":%q,"processing":{"amount":3,"unit":"working_days"},"documents":[{"name":"Đơn","quantity":1}]}]}`, cfg.Office.Services[0].ID)
	os.WriteFile(filepath.Join(dir, "thu-tuc.json"), []byte(proc), 0o600)
	got, err := loadConfig(serveFlags{config: path})
	if err != nil || len(got.procedures.Procedures) != 1 || got.procedures.Procedures[0].Name != "Thủ tục thử" {
		t.Fatalf("catalogue not loaded: %v %+v", err, got.procedures)
	}
	os.WriteFile(filepath.Join(dir, "thu-tuc.json"), []byte(strings.Replace(proc, cfg.Office.Services[0].ID, "khong_co", 1)), 0o600)
	if _, err := loadConfig(serveFlags{config: path}); err == nil || problem.As(err).Message == "" || !strings.Contains(problem.As(err).MessageEN, `service "khong_co"`) {
		t.Fatalf("bad catalogue: %v", err)
	}
	demo, err := loadConfig(serveFlags{demo: true, addr: "127.0.0.1:0"})
	if err != nil || len(demo.procedures.Procedures) < 10 {
		t.Fatalf("demo catalogue: %v, %d procedures", err, len(demo.procedures.Procedures))
	}
}

// A real office names its public address; the demo is reached where it listens.
func TestPublicURLIsRequired(t *testing.T) {
	for raw, ok := range map[string]bool{"": false, "10.0.0.2:8080": false, "ftp://x": false, "http://": false, "http://10.0.0.2:8080": true, "https://mot-cua.phuong.vn": true} {
		if err := checkPublicURL(raw); (err == nil) != ok {
			t.Errorf("checkPublicURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
	var raw map[string]any
	json.Unmarshal(assets.ExampleOffice, &raw)
	delete(raw["office"].(map[string]any), "public_url")
	raw["users"], raw["devices"] = []any{}, []any{}
	data, _ := json.Marshal(raw)
	path := filepath.Join(t.TempDir(), "office.json")
	os.WriteFile(path, data, 0o600)
	if _, err := loadConfig(serveFlags{config: path}); err == nil || !strings.Contains(problem.As(err).MessageEN, "public_url") {
		t.Errorf("a real config without public_url: %v", err)
	}
	demo, err := loadConfig(serveFlags{demo: true, addr: "127.0.0.1:8080"})
	if err != nil || demo.Office.PublicURL != "http://127.0.0.1:8080" {
		t.Errorf("demo public_url %q, %v", demo.Office.PublicURL, err)
	}
}
