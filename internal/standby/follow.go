package standby

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/bolt"
	"motcua/internal/intake"
)

// Follower is the standby's side: it keeps Copy in step with the primary
// at URL, with its key.
type Follower struct {
	Copy *bolt.Follower
	URL  string // the primary's address (http://host:port)
	Key  string
	// Addr is where the standby listens (its --addr as listened on): the
	// primary tells devices to try it there.
	Addr string
	Log  *slog.Logger

	mu        sync.Mutex
	connected bool
	lastErr   string
	since     time.Time // when it was last in touch
}

// State is where a standby stands, for /healthz and its console.
type State struct {
	Primary   string    `json:"primary"`
	Connected bool      `json:"connected"`
	Pos       uint64    `json:"pos"`
	Seq       uint64    `json:"seq"`
	Epoch     uint64    `json:"epoch"`
	LastError string    `json:"last_error,omitempty"`
	Since     time.Time `json:"since,omitzero"`
}

// State says where the copy stands.
func (f *Follower) State() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return State{Primary: f.URL, Connected: f.connected, Pos: f.Copy.Pos(), Seq: f.Copy.Seq(), Epoch: f.Copy.Epoch(), LastError: f.lastErr, Since: f.since}
}

// Run follows until ctx ends, dialling again after each loss (1 s, then
// up to 10 s between tries).
func (f *Follower) Run(ctx context.Context) {
	if f.Log == nil {
		f.Log = slog.Default()
	}
	wait := time.Second
	for ctx.Err() == nil {
		err := f.session(ctx)
		f.mu.Lock()
		f.connected = false
		if err != nil && ctx.Err() == nil {
			f.lastErr = err.Error()
		}
		f.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		f.Log.Warn("standby: lost the primary", "err", err, "again_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

func (f *Follower) session(ctx context.Context) error {
	u := strings.Replace(strings.TrimRight(f.URL, "/"), "http", "ws", 1) + Path
	h := http.Header{"Authorization": {"Bearer " + f.Key}}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}
	conn, resp, err := d.DialContext(ctx, u, h)
	if err != nil {
		if resp != nil {
			return fmt.Errorf("the primary answered %s (is the key right? motcua-server standby-key on the primary makes one)", resp.Status)
		}
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	conn.SetReadLimit(128 << 20)
	alive := func() { conn.SetReadDeadline(time.Now().Add(3 * Heartbeat)) }
	alive()
	conn.SetPingHandler(func(data string) error {
		alive()
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(Heartbeat))
	})
	scans, err := f.Copy.ScanFiles()
	if err != nil {
		return err
	}
	hello, err := EncodeHello(Hello{Pos: f.Copy.Pos(), Epoch: f.Copy.Epoch(), Seq: f.Copy.Seq(), Addr: f.Addr, Hash: f.Copy.PosHash(), Scans: scans})
	if err != nil {
		return err
	}
	if err := conn.WriteMessage(websocket.TextMessage, hello); err != nil {
		return err
	}
	f.mu.Lock()
	f.connected, f.lastErr, f.since = true, "", time.Now()
	f.mu.Unlock()
	var copying *io.PipeWriter
	var installed chan error
	defer func() {
		if copying != nil {
			copying.CloseWithError(errClosed)
			<-installed
		}
	}()
	reply := func(r Reply) error { return conn.WriteJSON(r) }
	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return err
		}
		alive()
		if kind != websocket.BinaryMessage || len(msg) == 0 {
			return errFrame
		}
		body := msg[1:]
		switch msg[0] {
		case frameCopy:
			if copying == nil {
				pr, pw := io.Pipe()
				copying, installed = pw, make(chan error, 1)
				go func() { err := f.Copy.Install(pr); pr.CloseWithError(err); installed <- err }()
				f.Log.Info("standby: taking the primary's whole file")
			}
			if _, err := copying.Write(body); err != nil {
				return err
			}
		case frameCopied:
			if copying == nil || len(body) != 8 {
				return errFrame
			}
			copying.Close()
			err := <-installed // a big file's check takes a while: the stream waits
			copying = nil
			alive()
			if err != nil {
				return err
			}
			if pos := binary.BigEndian.Uint64(body); f.Copy.Pos() != pos {
				return fmt.Errorf("the primary's file is at %d, its copy at %d", pos, f.Copy.Pos())
			}
			f.Log.Info("standby: the primary's whole file installed", "pos", f.Copy.Pos(), "events", f.Copy.Seq())
			if err := reply(Reply{Ack: f.Copy.Pos()}); err != nil {
				return err
			}
		case frameChange:
			c, err := bolt.DecodeChange(body)
			if err != nil {
				return err
			}
			if c.Pos <= f.Copy.Pos() {
				continue // sent again after a reconnect: held already
			}
			if err := f.Copy.Apply(c); err != nil {
				return err
			}
			if err := reply(Reply{Ack: c.Pos}); err != nil {
				return err
			}
		case frameScan:
			if len(body) < 64 {
				return errFrame
			}
			sha := string(body[:64])
			if err := f.keepScan(sha, body[64:]); err != nil {
				return err
			}
			if err := reply(Reply{Have: sha}); err != nil {
				return err
			}
		case frameScans:
			var need []string
			for i := 0; i+64 <= len(body); i += 64 {
				need = append(need, string(body[i:i+64]))
			}
			if len(need) > 0 {
				if err := reply(Reply{Need: need}); err != nil {
					return err
				}
			}
		default:
			return errFrame
		}
	}
}

// keepScan writes a scan file the primary sent, checked against its name,
// synced before it is acknowledged.
func (f *Follower) keepScan(sha string, body []byte) error {
	if !intake.ValidSHA256(sha) {
		return errFrame
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != sha {
		return fmt.Errorf("scan %s: its bytes do not match its name", sha)
	}
	dir := filepath.Join(f.Copy.Dir(), bolt.ScanDir)
	tmp, err := os.CreateTemp(dir, ".standby-*.part")
	if err != nil {
		return err
	}
	_, err = tmp.Write(body)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), bolt.ScanPath(f.Copy.Dir(), sha))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
