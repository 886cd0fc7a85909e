// Package gammu sends the office's SMS through its own GSM modem: each
// message is handed to gammu-smsd (Debian's gammu-smsd), which keeps it in
// its outbox and sends it at the modem's own pace — written straight into
// the outbox folder under gammu's files service, else with
// gammu-smsd-inject. The text goes with its Vietnamese marks (UCS-2) or without them
// (GSM 7-bit), as the office sets; gammu splits a long one into the parts
// notify.Parts counts. For the files service, Spool reads gammu's folders
// back: how a restart learns that a message whose try was cut short did
// reach the outbox (so it is not sent twice), and how tests read what the
// modem would send.
package gammu

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/notify"
)

// Inject is the program that hands a message to gammu-smsd.
const Inject = "gammu-smsd-inject"

// Channel sends SMS with gammu-smsd-inject under a gammu-smsd config file.
type Channel struct {
	// Config is gammu-smsd's config file (the --sms-gammu-config flag, else
	// the settings' notify.sms.gammu_config); empty: SMS is not set up.
	Config func(notify.Settings) string
	// Backlog is how many messages may wait in gammu's outbox (the files
	// service) before no more are handed over: the modem's own pace sets
	// the drain, and a burst costs the office's core nothing (default 20).
	Backlog int
}

// Room is how many more messages gammu takes now: Backlog less those
// waiting in its outbox (the files service; any other: no limit known).
func (c Channel) Room(s notify.Settings) int {
	sp, err := ReadSpool(c.Config(s))
	if err != nil {
		return 1 << 20
	}
	names, err := sp.Waiting()
	if err != nil {
		return 1 << 20
	}
	backlog := c.Backlog
	if backlog <= 0 {
		backlog = 50
	}
	return max(backlog-len(names), 0)
}

// Send hands m to gammu-smsd: under the files service, straight into its
// outbox (Write: no process); under any other (a database), with
// gammu-smsd-inject.
func (c Channel) Send(ctx context.Context, m notify.Message, s notify.Settings) notify.Outcome {
	cfg := c.Config(s)
	if cfg == "" {
		return notify.Outcome{Permanent: true, Answer: "SMS chưa cài đặt (notify.sms.gammu_config) / SMS is not set up"}
	}
	text := SMSText(m.Text, s.SMS.Unicode)
	var parts int
	if sp, err := ReadSpool(cfg); err == nil {
		if parts, err = sp.Write(m.ID, m.Phone, text, s.SMS.Unicode, time.Now()); err != nil {
			// A full disk, a folder gone: tried again (the office may fix
			// it); the number is never in the answer.
			return notify.Outcome{Answer: "gammu outbox: " + strings.ReplaceAll(err.Error(), m.Phone, notify.Masked(m.Phone))}
		}
	} else if parts, err = inject(ctx, cfg, m.Phone, text, s.SMS.Unicode); err != nil {
		return notify.Outcome{Answer: err.Error()}
	}
	return notify.Outcome{Sent: true, Parts: parts, Answer: fmt.Sprintf("gammu-smsd: đã vào hàng gửi của modem, %d phần / in the modem's outbox, %d part(s)", parts, parts)}
}

// Flush puts on the disk what Send wrote into the files outbox (a batch's
// messages are recorded as sent after it).
func (c Channel) Flush(s notify.Settings) error {
	sp, err := ReadSpool(c.Config(s))
	if err != nil {
		return nil // gammu-smsd-inject's own
	}
	return sp.Flush()
}

// inject hands a text to gammu-smsd-inject.
func inject(ctx context.Context, cfg, phone, text string, unicode bool) (int, error) {
	args := []string{"-c", cfg, "TEXT", phone}
	if unicode {
		args = append(args, "-unicode")
	}
	args = append(args, "-autolen", fmt.Sprint(utf8.RuneCountInString(text)), "-text", text)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	// Handing a message to the modem's outbox can wait; a kiosk's ticket on
	// the same core cannot: gammu runs at the lowest priority from its
	// start (nice(1); a priority set after the start came too late: most
	// of gammu's few milliseconds were spent by then).
	cmd := exec.CommandContext(ctx, Inject, args...)
	if nice, err := exec.LookPath("nice"); err == nil {
		cmd = exec.CommandContext(ctx, nice, append([]string{"-n", "19", Inject}, args...)...)
	}
	// gammu reads the text in the locale's charset: under a locale the
	// machine lacks (LANG=vi_VN.UTF-8 without locales installed) it keeps
	// the first letter only. C.UTF-8 is always there.
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		// A refusal of gammu's own (bad config, a full spool) is tried
		// again: the office may fix it; the number is never in the answer.
		return 0, fmt.Errorf("gammu-smsd-inject: %s", firstLine(out, err, phone))
	}
	return len(Parts(text, unicode)), nil
}

// WentOut says whether a message whose try began at since is in gammu's
// folders already (the files service): the try reached gammu before the
// office stopped. A file Write made is known by its name's tag; one that
// gammu-smsd-inject made, by its number and text.
func (c Channel) WentOut(m notify.Message, since time.Time, s notify.Settings) bool {
	sp, err := ReadSpool(c.Config(s))
	if err != nil {
		return false
	}
	tag := "_" + Tag(m.ID) + ".smsbackup"
	for _, dir := range []string{sp.Outbox, sp.Sent, sp.Error} {
		if names, _ := filepath.Glob(filepath.Join(dir, "OUT*"+tag)); len(names) > 0 {
			return true
		}
	}
	want := SMSText(m.Text, s.SMS.Unicode)
	for _, f := range sp.Files(since.Add(-2 * time.Second)) {
		if f.Number == m.Phone && strings.Join(f.Parts, "") == want {
			return true
		}
	}
	return false
}

func firstLine(out []byte, err error, phone string) string {
	line := strings.TrimSpace(string(out))
	for _, l := range strings.Split(line, "\n") {
		if strings.Contains(l, "rror") || strings.Contains(l, "ailed") {
			line = l
			break
		}
	}
	if line == "" {
		line = err.Error()
	}
	line = strings.ReplaceAll(line, phone, notify.Masked(phone))
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}

// Spool is gammu-smsd's folders under the files service.
type Spool struct{ Outbox, Sent, Error string }

// ReadSpool reads the folders from a gammu-smsd config file.
func ReadSpool(config string) (Spool, error) {
	raw, err := os.ReadFile(config)
	if err != nil {
		return Spool{}, err
	}
	var sp Spool
	service := ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "service":
			service = strings.ToLower(v)
		case "outboxpath":
			sp.Outbox = v
		case "sentsmspath":
			sp.Sent = v
		case "errorsmspath":
			sp.Error = v
		}
	}
	if service != "files" || sp.Outbox == "" {
		return sp, fmt.Errorf("%s: not gammu-smsd's files service", config)
	}
	if sp.Sent == "" {
		sp.Sent = sp.Outbox
	}
	if sp.Error == "" {
		sp.Error = sp.Sent
	}
	return sp, nil
}

// File is one message in gammu's folders: its number and its parts' texts.
type File struct {
	Path   string
	Number string
	Parts  []string
	Coding string
}

// Files are the messages in the spool's folders changed since t.
func (sp Spool) Files(since time.Time) []File {
	var out []File
	seen := map[string]bool{}
	for _, dir := range []string{sp.Outbox, sp.Sent, sp.Error} {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		names, _ := filepath.Glob(filepath.Join(dir, "OUT*"))
		for _, p := range names {
			if st, err := os.Stat(p); err != nil || st.ModTime().Before(since) {
				continue
			}
			if f, err := ReadFile(p); err == nil {
				out = append(out, f)
			}
		}
	}
	return out
}
