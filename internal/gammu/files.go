package gammu

import (
	"os"
	"path/filepath"
	"sort"
)

// Waiting are the messages waiting in gammu's outbox, in the order
// gammu-smsd sends them (by name): the OUT… files only, as gammu-smsd
// takes them (a file Write is still writing has another name).
func (sp Spool) Waiting() ([]string, error) {
	names, err := filepath.Glob(filepath.Join(sp.Outbox, "OUT*"))
	sort.Strings(names)
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names, err
}

// FilesConfig writes, under dir, a gammu-smsd config of the files service
// (no modem needed: gammu-smsd-inject writes the outbox, and a gammu-smsd
// started on it later with a real modem's device sends what waits there)
// and returns its path and folders. The demo office and the tests use it.
func FilesConfig(dir string) (string, Spool, error) {
	sp := Spool{Outbox: filepath.Join(dir, "outbox") + "/", Sent: filepath.Join(dir, "sent") + "/", Error: filepath.Join(dir, "error") + "/"}
	for _, d := range []string{sp.Outbox, sp.Sent, sp.Error, filepath.Join(dir, "inbox")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return "", sp, err
		}
	}
	cfg := filepath.Join(dir, "smsdrc")
	body := "# gammu-smsd: the files service; set device to the modem (e.g. /dev/ttyUSB0) to send for real\n" +
		"[gammu]\ndevice = /dev/null\nconnection = at\n\n[smsd]\nservice = files\n" +
		"inboxpath = " + filepath.Join(dir, "inbox") + "/\noutboxpath = " + sp.Outbox + "\nsentsmspath = " + sp.Sent + "\nerrorsmspath = " + sp.Error + "\n"
	return cfg, sp, os.WriteFile(cfg, []byte(body), 0o640)
}
