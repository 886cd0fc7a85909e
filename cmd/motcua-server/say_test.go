package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSay(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"say", "--number", "1023", "--counter", "5"}, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if got := out.String(); got != "Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm\n" {
		t.Fatalf("say printed %q", got)
	}
	// An office's own wording and southern number words.
	cfg := strings.Replace(string(mustRead(t)), `"rules"`, `"display": {"template": "Xin mời số {number} đến quầy {counter}", "thousand": "ngàn", "zero_tens": "lẻ"}, "rules"`, 1)
	path := filepath.Join(t.TempDir(), "office.json")
	os.WriteFile(path, []byte(cfg), 0o600)
	out.Reset()
	if code := run(context.Background(), []string{"say", "--number", "1005", "--counter", "24", "--config", path}, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if got := out.String(); got != "Xin mời số một ngàn không trăm lẻ năm đến quầy hai mươi tư\n" {
		t.Fatalf("say printed %q", got)
	}
	if code := run(context.Background(), []string{"say", "--number", "12"}, nil, &out, &errs); code != 2 {
		t.Fatalf("say without a counter: exit %d", code)
	}
}

func mustRead(t *testing.T) []byte {
	data, err := os.ReadFile("../../assets/demo-office.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}
