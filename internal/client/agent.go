package client

import (
	"context"
	"motcua/internal/api"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// agent names this program and its build to the server (User-Agent): the
// console's devices page shows which version each kiosk, board and rating
// screen runs. motcua-kiosk/1a2b3c4d5e6f (the commit it was built from, +dirty
// when the tree had changes), or the module's version when it has one.
var agent = appAgent(filepath.Base(os.Args[0]), debug.ReadBuildInfo)

func appAgent(program string, info func() (*debug.BuildInfo, bool)) string {
	program = strings.TrimSuffix(program, ".exe")
	if !strings.HasPrefix(program, "motcua") {
		program = "motcua-" + program // a test binary, go run's
	}
	version := "dev"
	if bi, ok := info(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			version = v
		}
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(len(s.Value), 12)]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" && version == "dev" {
			version = rev
			if dirty {
				version += "+dirty"
			}
		}
	}
	return program + "/" + version
}

// identify puts the credential and the program's name on a request.
func (c *Client) identify(h http.Header) {
	h.Set("User-Agent", agent)
	if tok := c.token(); tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
}

// Status is the device's heartbeat: its printer's state (ok, none, or a
// trouble code); the server notes when and which program.
func (c *Client) Status(ctx context.Context, printer string) error {
	_, err := c.do(ctx, "POST", api.DeviceStatus, api.DeviceStatusRequest{Printer: printer}, nil)
	return err
}

// Devices lists the office's devices as the server last heard from them
// (the supervisor or an admin).
func (c *Client) Devices(ctx context.Context) ([]api.DeviceView, error) {
	var out []api.DeviceView
	_, err := c.do(ctx, "GET", api.AdminDevices, nil, &out)
	return out, err
}
