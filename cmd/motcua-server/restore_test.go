package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"motcua/assets"
	"motcua/internal/bolt"
)

// TestBackupRestoreCommands drives the commands an office runs by hand, on a
// stopped server's directory: backup, verify, restore into a fresh directory.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := parseConfig(assets.DemoOffice)
	s, err := bolt.Open(dir, cfg.Office, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	backup := filepath.Join(t.TempDir(), "b.db")
	var out strings.Builder
	if code := run(context.Background(), []string{"backup", "--data", dir, "--out", backup}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("backup exit %d", code)
	}
	if code := run(context.Background(), []string{"verify", "--data", dir}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("verify exit %d", code)
	}
	fresh := t.TempDir()
	if code := run(context.Background(), []string{"restore", "--data", fresh, "--from", backup}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("restore exit %d\n%s", code, out.String())
	}
	if _, err := bolt.VerifyFile(filepath.Join(fresh, bolt.FileName)); err != nil {
		t.Error(err)
	}
	var errs strings.Builder
	if code := run(context.Background(), []string{"restore", "--data", fresh}, nil, io.Discard, &errs); code != 2 || !strings.Contains(errs.String(), "--from") {
		t.Errorf("restore without --from: exit %d, %q", code, errs.String())
	}
	if code := run(context.Background(), []string{"--demo"}, nil, io.Discard, io.Discard); code != 2 {
		t.Errorf("serve without --data: exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"hash-pin"}, strings.NewReader("1234\n"), io.Discard, io.Discard); code != 1 {
		t.Errorf("hash-pin of the demo PIN: exit %d, want refusal", code)
	}
	var hash strings.Builder
	if code := run(context.Background(), []string{"hash-pin"}, strings.NewReader("8372\n"), io.Discard, io.Discard); code != 1 {
		t.Errorf("hash-pin of a 4-digit PIN: exit %d, want refusal (6 digits at least)", code)
	}
	if code := run(context.Background(), []string{"hash-pin"}, strings.NewReader("837261\n"), &hash, io.Discard); code != 0 || !strings.HasPrefix(hash.String(), "$2a$") {
		t.Errorf("hash-pin: exit %d, %q", code, hash.String())
	}
}
