package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The four packages build; each holds the paths an office's PCs need; the
// server's installs with dpkg into a scratch root (its scripts honour
// DPKG_ROOT), its units pass systemd-analyze verify, the installed binary
// starts through the unit's own ExecStart line on an empty data dir (the
// setup page), and the installed backup script makes checked copies,
// keeping the last ones.
func TestPackages(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	out := t.TempDir()
	if err := build(out, "0.9+test", ""); err != nil {
		t.Fatal(err)
	}
	debs, _ := filepath.Glob(filepath.Join(out, "*.deb"))
	if len(debs) != 4 {
		t.Fatalf("packages: %v", debs)
	}
	want := map[string][]string{
		"motcua-server": {"./usr/bin/motcua-server", "./lib/systemd/system/motcua-server.service", "./lib/systemd/system/motcua-backup.service",
			"./lib/systemd/system/motcua-backup.timer", "./usr/lib/motcua/backup", "./etc/default/motcua-server", "./etc/motcua/",
			"./var/lib/motcua/", "./var/backups/motcua/", "./usr/share/motcua/voice/", "./usr/share/doc/motcua-server/INSTALL.md"},
		"motcua-kiosk": {"./usr/bin/motcua-kiosk", "./usr/share/applications/motcua-kiosk.desktop", "./etc/xdg/autostart/motcua-kiosk.desktop",
			"./usr/lib/motcua/session-kiosk", "./etc/default/motcua-kiosk"},
		"motcua-counter": {"./usr/bin/motcua-counter", "./usr/share/applications/motcua-counter.desktop"},
		"motcua-display": {"./usr/bin/motcua-display", "./usr/share/applications/motcua-display.desktop", "./etc/xdg/autostart/motcua-display.desktop",
			"./usr/lib/motcua/session-display", "./usr/share/motcua-display/voice/"},
	}
	var serverDeb string
	for _, deb := range debs {
		name := strings.SplitN(filepath.Base(deb), "_", 2)[0]
		if !strings.Contains(deb, "_0.9+test_") {
			t.Errorf("%s: not the version asked for", deb)
		}
		listing, err := exec.Command("dpkg-deb", "-c", deb).Output()
		if err != nil {
			t.Fatalf("dpkg-deb -c %s: %v", deb, err)
		}
		var paths []string
		for _, l := range strings.Split(string(listing), "\n") {
			if f := strings.Fields(l); len(f) >= 6 {
				paths = append(paths, f[5])
			}
		}
		for _, p := range want[name] {
			if !slices.Contains(paths, p) {
				t.Errorf("%s lacks %s", name, p)
			}
		}
		if name == "motcua-server" {
			serverDeb = deb
		}
	}

	// Into a scratch root.
	r := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/updates", "var/lib/dpkg/info"} {
		os.MkdirAll(filepath.Join(r, d), 0o755)
	}
	os.WriteFile(filepath.Join(r, "var/lib/dpkg/status"), nil, 0o644)
	if b, err := exec.Command("dpkg", "--instdir="+r, "--admindir="+filepath.Join(r, "var/lib/dpkg"), "--force-script-chrootless",
		"--force-depends", "--force-not-root", "-i", serverDeb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg -i into %s: %v\n%s", r, err, b)
	}
	for _, p := range []string{"var/lib/motcua", "var/backups/motcua", "etc/motcua"} {
		if st, err := os.Stat(filepath.Join(r, p)); err != nil || st.Mode().Perm() != 0o750 {
			t.Errorf("%s after the install: %v %v", p, st.Mode(), err)
		}
	}
	unitRaw, err := os.ReadFile(filepath.Join(r, "lib/systemd/system/motcua-server.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(unitRaw)
	for _, d := range []string{"Type=notify", "User=motcua", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/motcua", "PrivateTmp=yes", "RestrictAddressFamilies=", "Restart=on-failure"} {
		if !strings.Contains(unit, d+"\n") && !strings.Contains(unit, d) {
			t.Errorf("the unit lacks %s", d)
		}
	}
	// systemd-analyze verify, the units' programs pointing into the scratch root.
	units := t.TempDir()
	for _, f := range []string{"motcua-server.service", "motcua-backup.service", "motcua-backup.timer"} {
		raw, _ := os.ReadFile(filepath.Join(r, "lib/systemd/system", f))
		s := strings.NewReplacer("/usr/bin/motcua-server", filepath.Join(r, "usr/bin/motcua-server"), "/usr/lib/motcua/backup", filepath.Join(r, "usr/lib/motcua/backup")).Replace(string(raw))
		os.WriteFile(filepath.Join(units, f), []byte(s), 0o644)
	}
	verify := exec.Command("systemd-analyze", "verify", "motcua-server.service", "motcua-backup.service", "motcua-backup.timer")
	verify.Dir = units
	if b, err := verify.CombinedOutput(); err != nil || len(strings.TrimSpace(string(b))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, b)
	}

	// The unit's own ExecStart, its paths in the scratch root, on an empty data dir.
	m := regexp.MustCompile(`(?m)^ExecStart=(.+)$`).FindStringSubmatch(unit)
	if m == nil {
		t.Fatal("no ExecStart")
	}
	data := t.TempDir()
	args := strings.Fields(strings.NewReplacer("$MOTCUA_ARGS", "--addr 127.0.0.1:0", "/var/lib/motcua", data, "/usr/", filepath.Join(r, "usr")+"/").Replace(m[1]))
	cmd := exec.Command(args[0], args[1:]...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	var base string
	var said []string
	for lines.Scan() {
		said = append(said, lines.Text())
		if _, rest, ok := strings.Cut(lines.Text(), "listening on "); ok {
			base = strings.Fields(rest)[0]
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" || !strings.Contains(strings.Join(said, "\n"), "/setup") {
		t.Fatalf("the installed server's first start: %q", said)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(base + "/setup")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the setup page: %v %v", err, resp)
	}
	resp.Body.Close()
	if v, err := exec.Command(filepath.Join(r, "usr/bin/motcua-server"), "version").Output(); err != nil || !strings.Contains(string(v), "0.9+test") {
		t.Errorf("the installed server's version: %q %v", v, err)
	}
	cmd.Process.Kill()
	cmd.Wait()

	// The installed backup script against a running office: checked copies, the last KEEP kept.
	office := t.TempDir()
	demo := exec.Command(filepath.Join(r, "usr/bin/motcua-server"), "--demo", "--data", office, "--addr", "127.0.0.1:0", "--voice", filepath.Join(r, "usr/share/motcua/voice"))
	demoOut, _ := demo.StdoutPipe()
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { demo.Process.Kill(); demo.Wait() }()
	sc := bufio.NewScanner(demoOut)
	for sc.Scan() && !strings.Contains(sc.Text(), "listening on") {
	}
	go io.Copy(io.Discard, demoOut)
	backups := t.TempDir()
	for range 3 {
		b := exec.Command(filepath.Join(r, "usr/lib/motcua/backup"))
		b.Env = append(os.Environ(), "MOTCUA_DATA="+office, "MOTCUA_BACKUPS="+backups, "MOTCUA_KEEP=2", "MOTCUA_BIN="+filepath.Join(r, "usr/bin/motcua-server"))
		if out, err := b.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
			t.Fatalf("the backup script: %v\n%s", err, out)
		}
	}
	if kept, _ := filepath.Glob(filepath.Join(backups, "motcua-*.tar")); len(kept) != 2 {
		t.Errorf("backups kept: %v, want the last 2", kept)
	}
}
