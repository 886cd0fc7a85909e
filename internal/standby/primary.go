package standby

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/bolt"
	"motcua/internal/intake"
)

// Source is what the primary sends from (*bolt.Store).
type Source interface {
	CopyTo(w io.Writer) (uint64, error)
	Pos() uint64
	History() (uint64, []byte) // the file's last change and the history's hash there
	Epoch() uint64
	ScanFiles() ([]string, error)
	OpenScan(sha string) (io.ReadSeekCloser, error)
}

// Hub is the primary's side: the changes of late (in memory, up to Keep
// bytes), the one standby following, and how long a change waits for it.
type Hub struct {
	src Source
	// Wait is how long a command waits for the standby's acknowledgement
	// before the primary goes on alone (default 2 s).
	Wait time.Duration
	// Async: never wait (a change acknowledged may be lost with the
	// primary's disk: docs/INSTALL.md).
	Async bool
	// Keep is how many bytes of recent changes are kept for a standby
	// that comes back (default 64 MiB); one further behind gets the whole
	// file.
	Keep int
	// Lag is told when the standby stops keeping up (true, with why) and
	// when it has caught up again (false): the live page's alert. Called
	// on a goroutine of its own.
	Lag func(lagging bool, why string)
	Log *slog.Logger

	mu      sync.Mutex
	ring    []item // the changes of late, by position
	bytes   int
	peer    *peer
	lagging bool
	lastAck uint64 // the last change a standby acknowledged, the one gone included
	url     string // where the last standby to connect answers devices
}

// Status is how the standby stands, seen from its primary.
type Status struct {
	Connected bool
	InStep    bool   // it holds every change acknowledged to a client
	Acked     uint64 // the last change a standby acknowledged (0: none since the start)
	URL       string // where devices reach it (the last to connect)
}

type item struct {
	pos  uint64
	raw  []byte
	hash []byte // the history's hash at pos
}

// NewHub is a primary's hub over src.
func NewHub(src Source) *Hub { return &Hub{src: src, Log: slog.Default()} }

func (h *Hub) wait() time.Duration {
	if h.Wait > 0 {
		return h.Wait
	}
	return 2 * time.Second
}

// Following says how the standby stands.
func (h *Hub) Following() Status {
	h.mu.Lock()
	p, st := h.peer, Status{Acked: h.lastAck, URL: h.url}
	h.mu.Unlock()
	if p == nil {
		return st
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st.Connected, st.InStep, st.Acked = true, p.inStep, p.ackedAt
	return st
}

// deviceURL is where devices reach a standby that listens on addr and
// dialled from remote: its own host, else the address it dials from.
func deviceURL(addr, remote string) string {
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
		return ""
	}
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		if host, _, err = net.SplitHostPort(remote); err != nil {
			return ""
		}
	}
	if _, err := netip.ParseAddr(host); err != nil && !hostname(host) {
		return "" // what a device could not dial, or a URL's pieces
	}
	return "http://" + net.JoinHostPort(host, port)
}

// hostname says whether s is a plain DNS name (letters, digits, dots and
// hyphens).
func hostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// Ship keeps the change for the standby and has it sent at once (the
// store hands it over before its own commit: bolt.Shipper).
func (h *Hub) Ship(c bolt.Change) {
	raw := c.Encode()
	keep := h.Keep
	if keep <= 0 {
		keep = 64 << 20
	}
	h.mu.Lock()
	h.ring = append(h.ring, item{c.Pos, raw, c.Hash})
	h.bytes += len(raw)
	drop := 0
	for h.bytes > keep && drop < len(h.ring)-1 {
		h.bytes -= len(h.ring[drop].raw)
		drop++
	}
	if drop > 0 {
		h.ring = append([]item(nil), h.ring[drop:]...)
	}
	p := h.peer
	h.mu.Unlock()
	if p != nil {
		p.poke()
	}
}

// Committed returns once a standby in step holds the change at pos on its
// disk — at once when asynchronous or out of step; after Wait at most,
// when the standby is then marked out of step and the alert raised.
func (h *Hub) Committed(pos uint64) {
	h.mu.Lock()
	p := h.peer
	h.mu.Unlock()
	if p == nil || h.Async || !p.synced() {
		return
	}
	if !p.waitAck(pos, h.wait()) {
		h.lag(p, "máy dự phòng không trả lời trong "+h.wait().String()+" / the standby did not answer within "+h.wait().String())
	}
}

// Abandon forgets the change at pos, which the primary's disk refused
// (full, failing): a standby sent it may have written it, so its
// connection ends; coming back, its history is not the primary's and it
// takes the whole file.
func (h *Hub) Abandon(pos uint64) {
	h.mu.Lock()
	i := sort.Search(len(h.ring), func(i int) bool { return h.ring[i].pos >= pos })
	for _, it := range h.ring[i:] {
		h.bytes -= len(it.raw)
	}
	h.ring = h.ring[:i]
	p := h.peer
	h.mu.Unlock()
	if p != nil {
		p.close()
	}
}

// ShipScan sends a scan file just stored to the standby before any change
// names it, and (synchronous, in step) waits for it to be kept.
func (h *Hub) ShipScan(sha string) error {
	h.mu.Lock()
	p := h.peer
	h.mu.Unlock()
	if p == nil {
		return nil
	}
	ch := p.expect(sha)
	if err := p.sendScan(h.src, sha); err != nil {
		return nil // the reader sees the connection end; the standby asks again when back
	}
	if h.Async || !p.synced() {
		return nil
	}
	select {
	case <-ch:
	case <-time.After(h.wait()):
		h.lag(p, "máy dự phòng chưa nhận tệp quét / the standby did not take a scan")
	case <-p.done:
	}
	return nil
}

// lag marks p out of step and says so once.
func (h *Hub) lag(p *peer, why string) {
	p.mu.Lock()
	was := p.inStep
	p.inStep = false
	p.mu.Unlock()
	h.setLagging(was, true, why)
}

func (h *Hub) setLagging(changed, lagging bool, why string) {
	h.mu.Lock()
	say := changed && h.lagging != lagging
	h.lagging = lagging
	h.mu.Unlock()
	if say && h.Lag != nil {
		go h.Lag(lagging, why)
	}
	if say {
		h.Log.Warn("standby", "in_step", !lagging, "why", why)
	}
}

var upgrader = websocket.Upgrader{ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}

// Serve is the standby's stream (GET Path), its key already checked by the
// caller. A standby connecting takes the place of one before it (a PC
// that came back after its connection died unseen).
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	conn.SetReadLimit(16 << 20)
	var hello struct {
		Hello
		Scans []string `json:"scans"`
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if err := conn.ReadJSON(&hello); err != nil {
		conn.Close()
		return
	}
	conn.SetReadDeadline(time.Time{})
	filePos, fileHash := h.src.History()
	p := &peer{conn: conn, wake: make(chan struct{}, 1), done: make(chan struct{}), ackCh: make(chan struct{}),
		haves: map[string]chan struct{}{}, need: make(chan []string, 4)}
	h.mu.Lock()
	old := h.peer
	h.peer = p
	if u := deviceURL(hello.Addr, r.RemoteAddr); u != "" {
		h.url = u
	}
	resume := hello.Epoch == h.src.Epoch() && h.holds(hello.Pos, hello.Hash, filePos, fileHash)
	h.mu.Unlock()
	if old != nil {
		old.close()
	}
	h.Log.Info("standby connected", "from", r.RemoteAddr, "its_pos", hello.Pos, "pos", h.src.Pos(), "whole_copy", !resume)
	go h.read(p)
	err = h.send(p, hello.Pos, resume, hello.Scans)
	p.close()
	h.mu.Lock()
	if h.peer == p {
		h.peer = nil
	}
	h.mu.Unlock()
	h.setLagging(true, true, "máy dự phòng mất kết nối / the standby is not connected")
	h.Log.Info("standby gone", "err", err)
}

// holds says whether the standby's history, at pos with hash, is the
// primary's (its ring of late, else its file at filePos with fileHash):
// the changes after it are then all it lacks. A standby that wrote a
// change the primary's disk then refused, or that the primary lost in a
// crash, holds another history and takes the whole file. Call with mu
// held.
func (h *Hub) holds(pos uint64, hash []byte, filePos uint64, fileHash []byte) bool {
	if len(hash) == 0 {
		return false
	}
	i := sort.Search(len(h.ring), func(i int) bool { return h.ring[i].pos >= pos })
	if i < len(h.ring) && h.ring[i].pos == pos {
		return bytes.Equal(h.ring[i].hash, hash)
	}
	return pos == filePos && (len(h.ring) == 0 || h.ring[len(h.ring)-1].pos <= pos) && bytes.Equal(fileHash, hash)
}

// send gives p what it lacks, then each change as it comes.
func (h *Hub) send(p *peer, at uint64, resume bool, theirs []string) error {
	next := at + 1
	if !resume {
		pw := &pieceWriter{p: p}
		pos, err := h.src.CopyTo(pw)
		if err == nil {
			err = pw.flush()
		}
		if err == nil {
			err = p.write(append([]byte{frameCopied}, u64(pos)...))
		}
		if err != nil {
			return err
		}
		next = pos + 1
	}
	if err := h.offerScans(p, theirs); err != nil {
		return err
	}
	beat := time.NewTicker(Heartbeat)
	defer beat.Stop()
	for {
		h.mu.Lock()
		i := sort.Search(len(h.ring), func(i int) bool { return h.ring[i].pos >= next })
		if i == 0 && len(h.ring) > 0 && h.ring[0].pos > next {
			h.mu.Unlock()
			return errBehind // fell out of the memory: it gets the whole file when it returns
		}
		batch := append([]item(nil), h.ring[i:]...)
		h.mu.Unlock()
		for _, it := range batch {
			if err := p.write(append([]byte{frameChange}, it.raw...)); err != nil {
				return err
			}
			next = it.pos + 1
		}
		select {
		case <-p.wake:
		case <-beat.C:
			// A sign of life: a standby that hears nothing for a while
			// (a cut cable, a blocked port) dials again.
			p.wmu.Lock()
			err := p.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(Heartbeat))
			p.wmu.Unlock()
			if err != nil {
				return err
			}
		case need := <-p.need:
			for _, sha := range need {
				if err := p.sendScan(h.src, sha); err != nil {
					return err
				}
			}
		case <-p.done:
			return errClosed
		}
	}
}

// offerScans says which scans the primary holds that the standby lacks;
// it asks for them (Need) and the sender sends them.
func (h *Hub) offerScans(p *peer, theirs []string) error {
	ours, err := h.src.ScanFiles()
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, s := range theirs {
		have[s] = true
	}
	var missing []byte
	for _, s := range ours {
		if !have[s] && intake.ValidSHA256(s) {
			missing = append(missing, s...)
		}
	}
	return p.write(append([]byte{frameScans}, missing...))
}

// read takes the standby's replies.
func (h *Hub) read(p *peer) {
	defer p.close()
	for {
		var r Reply
		if err := p.conn.ReadJSON(&r); err != nil {
			return
		}
		if r.Ack > 0 {
			p.acked(r.Ack)
			h.mu.Lock()
			h.lastAck = max(h.lastAck, r.Ack)
			h.mu.Unlock()
			if r.Ack >= h.src.Pos() {
				p.mu.Lock()
				was := p.inStep
				p.inStep = true
				p.mu.Unlock()
				h.setLagging(!was, false, "máy dự phòng đã theo kịp / the standby has caught up")
			}
		}
		if len(r.Need) > 0 {
			select {
			case p.need <- r.Need:
			case <-p.done:
				return
			}
		}
		if r.Have != "" {
			p.have(r.Have)
		}
	}
}

// pieceWriter sends the whole file in pieces of 1 MiB.
type pieceWriter struct {
	p   *peer
	buf []byte
}

func (w *pieceWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		room := 1<<20 - len(w.buf)
		k := min(room, len(b))
		w.buf = append(w.buf, b[:k]...)
		b = b[k:]
		if len(w.buf) == 1<<20 {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *pieceWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.p.write(append([]byte{frameCopy}, w.buf...))
	w.buf = w.buf[:0]
	return err
}

// EncodeHello is a hello as the standby sends it (its scans included).
func EncodeHello(h Hello) ([]byte, error) {
	return json.Marshal(struct {
		Hello
		Scans []string `json:"scans"`
	}{h, h.Scans})
}
