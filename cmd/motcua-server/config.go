package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// fileConfig is the office config file (docs/CONFIG.md).
type fileConfig struct {
	Office  queue.Office    `json:"office"`
	Users   []server.User   `json:"users"`
	Devices []server.Device `json:"devices"`
	// Catalogue is the procedure catalogue's file (JSON), relative to the config
	// file's folder; empty for none.
	Catalogue string `json:"catalogue,omitempty"`
	// VoiceDir holds the office's recorded voice clips, which replace the
	// stand-ins of the same name (docs/VOICE.md); relative to the config file.
	VoiceDir string `json:"voice_dir,omitempty"`
	// Sync is where the event log ships: the province's PostgreSQL and the
	// office's id there (docs/PROVINCE.md); absent, the settings keep theirs.
	Sync *queue.Sync `json:"sync,omitempty"`
	// procedures is the catalogue, loaded by loadConfig.
	procedures catalogue.Catalogue
}

// parseConfig decodes and checks a config file. Errors say what is wrong, in
// Vietnamese and English, and never panic whatever the input.
func parseConfig(data []byte) (fileConfig, error) {
	var cfg fileConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, problem.Errorf(problem.EInvalid, "Tệp cấu hình không đọc được: %v", "config file is not valid JSON: %v", err)
	}
	if dec.More() {
		return cfg, problem.Errorf(problem.EInvalid, "Tệp cấu hình có dữ liệu thừa sau đối tượng JSON", "config file has data after its JSON object")
	}
	if err := cfg.Office.Validate(); err != nil {
		return cfg, err
	}
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: "+vi, "config: "+en, args...)
	}
	if err := queue.ValidateStaff(cfg.Users); err != nil {
		return cfg, err
	}
	for _, u := range cfg.Users {
		if _, err := bcrypt.Cost([]byte(u.PINHash)); err != nil {
			return cfg, bad("mã PIN của %q không phải mã băm bcrypt; tạo bằng: motcua-server hash-pin", "PIN of %q is not a bcrypt hash; make one with: motcua-server hash-pin", u.Username)
		}
	}
	if err := queue.ValidateDevices(cfg.Devices, cfg.Office); err != nil {
		return cfg, err
	}
	if cfg.Sync != nil {
		if err := cfg.Sync.Validate(); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// demoUsers are the clerks the demo config ships; their PIN is demoPIN.
var demoUsers = map[string]bool{"quay1": true, "quay2": true, "quay3": true, "quay4": true, "quay5": true, "quay6": true, "admin": true, "truongbp": true}

const demoPIN = "1234"

// errDemoCredentials is returned for a real config that still has demo logins.
var errDemoCredentials = errors.New("demo credentials")

// refuseDemoCredentials fails when a real (non --demo) config contains the demo
// device key, a device key shorter than 16 characters, or a demo user with the
// demo PIN: such an office would be open to anyone who read our README.
func refuseDemoCredentials(cfg fileConfig) error {
	for _, d := range cfg.Devices {
		if d.Key == "" && d.KeyHash != "" { // exported: only the hash of a key that passed this check
			continue
		}
		if strings.HasPrefix(d.Key, "demo-") || len(d.Key) < 16 {
			return fmt.Errorf("%w: %w", errDemoCredentials, problem.Errorf(problem.EInvalid,
				"Cấu hình: khoá của thiết bị %q là khoá demo hoặc ngắn hơn 16 ký tự", "config: device %q has the demo key or one shorter than 16 characters", d.ID))
		}
	}
	for _, u := range cfg.Users {
		if demoUsers[u.Username] && bcrypt.CompareHashAndPassword([]byte(u.PINHash), []byte(demoPIN)) == nil {
			return fmt.Errorf("%w: %w", errDemoCredentials, problem.Errorf(problem.EInvalid,
				"Cấu hình: người dùng %q vẫn dùng mã PIN demo", "config: user %q still has the demo PIN", u.Username))
		}
	}
	return nil
}

// checkPublicURL requires a real office's public_url: the receipts' QR codes
// point there, and the server never builds a link from a request's Host
// header (anyone can send "Host: evil.example").
func checkPublicURL(raw string) error { return queue.CheckPublicURL(raw) } // "" too: it is required here
