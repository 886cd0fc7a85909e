package kiosk

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/printout"
	"motcua/internal/problem"
)

func TestParseFileConfig(t *testing.T) {
	fc, err := ParseFileConfig([]byte(`{"server":"http://10.0.0.2:8080","key":"k-123","printer":"pdf:/srv/phieu","orientation":"landscape","idle_seconds":45}`))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := fc.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PublicURL != "http://10.0.0.2:8080" || cfg.PaperWidth != 576 || !cfg.Landscape || cfg.IdleAfter != 45*time.Second ||
		cfg.ShowTicketFor != 15*time.Second || cfg.Printer != (printout.Folder{Dir: "/srv/phieu", Format: "pdf"}) {
		t.Fatalf("config %+v", cfg)
	}
	for _, tc := range []struct{ in, want string }{
		{`{`, "not valid JSON"},
		{`{"key":"k"} {}`, "data after"},
		{`{"key":"k","colour":"red"}`, "unknown field"},
		{`{"key":"k","server":"10.0.0.2:8080"}`, "must be an http"},
		{`{"key":"k","public_url":"ftp://x"}`, "public_url"},
		{`{"key":"k","printer":"COM1"}`, `printer "COM1"`},
		{`{"key":"k","paper_dots":600}`, "paper_dots 600"},
		{`{"key":"k","orientation":"sideways"}`, "orientation"},
		{`{"key":"k","idle_seconds":1}`, "idle_seconds 1"},
		{`{"key":"k","ticket_seconds":900}`, "ticket_seconds 900"},
		{`{"key":"k","staff_pin_bcrypt":"1234"}`, "not a bcrypt hash"},
	} {
		_, err := ParseFileConfig([]byte(tc.in))
		e := problem.As(err)
		if err == nil || !strings.Contains(e.MessageEN, tc.want) || e.Message == e.MessageEN {
			t.Errorf("%s: %v, want %q in both languages", tc.in, err, tc.want)
		}
	}
}

func FuzzParseFileConfig(f *testing.F) {
	f.Add(`{"server":"http://10.0.0.2:8080","key":"k","printer":"tcp://p:9100"}`)
	f.Fuzz(func(t *testing.T, in string) {
		fc, err := ParseFileConfig([]byte(in))
		if err != nil {
			if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error without both languages: %v", err)
			}
			return
		}
		if _, err := fc.Config(); err != nil {
			t.Fatalf("a checked config does not convert: %v", err)
		}
	})
}
