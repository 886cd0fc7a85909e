// Command motcua-package builds the Debian packages (nfpm as a library):
// motcua-server, motcua-kiosk, motcua-counter and motcua-display, each
// program built here stamped with the version (internal/version), from the
// files in assets/package (docs/INSTALL.md says what each holds).
//
//	go run ./cmd/motcua-package [--out dist] [--version V] [--only server,kiosk]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"

	"motcua/internal/version"
)

func main() {
	out := flag.String("out", "dist", "folder for the .deb files")
	ver := flag.String("version", "", "package version (default: from git describe)")
	only := flag.String("only", "", "build only these packages: server,kiosk,counter,display")
	flag.Parse()
	if *ver == "" {
		*ver = version.FromGit()
	}
	if err := build(*out, *ver, *only); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-package:", err)
		os.Exit(1)
	}
}

// pkg is one package: its programs, files and relations.
type pkg struct {
	name, summary string
	cgo           bool // a Fyne app
	depends       []string
	recommends    []string
	contents      func(stage string) files.Contents
	scripts       nfpm.Scripts
}

func file(src, dst string, mode os.FileMode) *files.Content {
	return &files.Content{Source: src, Destination: dst, FileInfo: &files.ContentFileInfo{Mode: mode}}
}

func conf(src, dst string) *files.Content {
	return &files.Content{Source: src, Destination: dst, Type: files.TypeConfigNoReplace, FileInfo: &files.ContentFileInfo{Mode: 0o644}}
}

func dir(dst string) *files.Content {
	return &files.Content{Destination: dst, Type: files.TypeDir, FileInfo: &files.ContentFileInfo{Mode: 0o750}}
}

const pk = "assets/package/"

// fyneLibs are the shared libraries a Fyne app links.
var fyneLibs = []string{"libgl1", "libx11-6", "libxcursor1", "libxrandr2", "libxinerama1", "libxi6", "libxxf86vm1"}

var packages = []pkg{
	{name: "server", summary: "the one-stop desk's queue server: API, feed, boards' and phones' pages, console, reports",
		depends: []string{"adduser"}, recommends: []string{"gammu-smsd"}, // gammu-smsd: SMS through the office's modem (docs/NOTIFY.md)
		contents: func(stage string) files.Contents {
			return files.Contents{
				file(filepath.Join(stage, "motcua-server"), "/usr/bin/motcua-server", 0o755),
				{Source: filepath.Join(stage, "voice"), Destination: "/usr/share/motcua/voice", Type: files.TypeTree},
				file(pk+"motcua-server.service", "/lib/systemd/system/motcua-server.service", 0o644),
				file(pk+"motcua-backup.service", "/lib/systemd/system/motcua-backup.service", 0o644),
				file(pk+"motcua-backup.timer", "/lib/systemd/system/motcua-backup.timer", 0o644),
				file(pk+"backup", "/usr/lib/motcua/backup", 0o755),
				conf(pk+"motcua-server.default", "/etc/default/motcua-server"),
				dir("/etc/motcua"), dir("/var/lib/motcua"), dir("/var/backups/motcua"),
				file("docs/INSTALL.md", "/usr/share/doc/motcua-server/INSTALL.md", 0o644),
				file("docs/CONFIG.md", "/usr/share/doc/motcua-server/CONFIG.md", 0o644),
				file("docs/NOTIFY.md", "/usr/share/doc/motcua-server/NOTIFY.md", 0o644),
				file("assets/office.example.json", "/usr/share/doc/motcua-server/office.example.json", 0o644),
			}
		},
		scripts: nfpm.Scripts{PostInstall: pk + "postinst-server", PreRemove: pk + "prerm-server"}},
	{name: "kiosk", summary: "the touchscreen kiosk where citizens take a number", cgo: true,
		depends: fyneLibs, recommends: []string{"unclutter", "x11-xserver-utils"},
		contents: func(stage string) files.Contents { return appContents(stage, "kiosk", true) }},
	{name: "counter", summary: "the clerk's counter app with the citizen's rating screen", cgo: true,
		depends: fyneLibs, recommends: []string{"cups-client", "sane-utils"}, // sane-utils: scanimage, the scan step
		contents: func(stage string) files.Contents { return appContents(stage, "counter", false) }},
	{name: "display", summary: "the waiting room's calling board, with the voice", cgo: true,
		depends: append(slices.Clone(fyneLibs), "alsa-utils"), recommends: []string{"unclutter", "x11-xserver-utils"},
		contents: func(stage string) files.Contents {
			return append(appContents(stage, "display", true),
				&files.Content{Source: filepath.Join(stage, "voice"), Destination: "/usr/share/motcua-display/voice", Type: files.TypeTree})
		}},
}

// appContents are an app's binary, menu entry, README and, for a kiosk or
// board PC, its autostart entry, session script and arguments.
func appContents(stage, app string, autostart bool) files.Contents {
	c := files.Contents{
		file(filepath.Join(stage, "motcua-"+app), "/usr/bin/motcua-"+app, 0o755),
		file(pk+"motcua-"+app+".desktop", "/usr/share/applications/motcua-"+app+".desktop", 0o644),
		file(app+"/README.md", "/usr/share/doc/motcua-"+app+"/README.md", 0o644),
	}
	if autostart {
		c = append(c,
			file(pk+"motcua-"+app+"-autostart.desktop", "/etc/xdg/autostart/motcua-"+app+".desktop", 0o644),
			file(pk+"session", "/usr/lib/motcua/session-"+app, 0o755),
			conf(pk+"motcua-"+app+".default", "/etc/default/motcua-"+app))
	}
	return c
}

func build(out, ver, only string) error {
	stage, err := os.MkdirTemp("", "motcua-package-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	want := func(name string) bool { return only == "" || slices.Contains(strings.Split(only, ","), name) }
	voice := false
	for _, p := range packages {
		if !want(p.name) {
			continue
		}
		fmt.Printf("motcua-%s %s: building…\n", p.name, ver)
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X motcua/internal/version.stamp="+ver, "-o", filepath.Join(stage, "motcua-"+p.name), "./cmd/motcua-"+p.name)
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+map[bool]string{true: "1", false: "0"}[p.cgo])
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building motcua-%s: %w", p.name, err)
		}
		if (p.name == "server" || p.name == "display") && !voice {
			cmd := exec.Command("go", "run", "./cmd/motcua-voice", "--out", filepath.Join(stage, "voice"))
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("the voice clips: %w", err)
			}
			voice = true
		}
		path, err := deb(p, stage, out, ver)
		if err != nil {
			return fmt.Errorf("packaging motcua-%s: %w", p.name, err)
		}
		fmt.Println("  →", path)
	}
	return nil
}

// deb writes one package into out and returns its path.
func deb(p pkg, stage, out, ver string) (string, error) {
	info := nfpm.WithDefaults(&nfpm.Info{
		Name: "motcua-" + p.name, Arch: runtime.GOARCH, Platform: "linux", Version: ver, VersionSchema: "none",
		Section: "misc", Priority: "optional", Maintainer: "motcua <motcua@localhost>", Homepage: "https://github.com/motcua/motcua",
		Description:  "motcua: " + p.summary + "\nThe queue and intake system of a Vietnamese one-stop desk (Bộ phận Một cửa): offline, on one local server.",
		Overridables: nfpm.Overridables{Depends: p.depends, Recommends: p.recommends, Contents: p.contents(stage), Scripts: p.scripts},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return "", err
	}
	packager, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	path := filepath.Join(out, packager.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := packager.Package(info, f); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
