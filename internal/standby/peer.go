package standby

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

var (
	errBehind = errors.New("the standby fell behind the changes kept in memory")
	errClosed = errors.New("the standby's connection closed")
)

// peer is the standby connected to a primary.
type peer struct {
	conn *websocket.Conn
	wmu  sync.Mutex // one writer at a time: the sender, a scan's shipper

	mu      sync.Mutex
	ackedAt uint64
	ackCh   chan struct{} // closed and replaced at each acknowledgement
	inStep  bool          // it has acknowledged every change so far
	haves   map[string]chan struct{}
	once    sync.Once

	wake chan struct{}
	need chan []string
	done chan struct{}
}

func (p *peer) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *peer) close() {
	p.once.Do(func() {
		close(p.done)
		p.conn.Close()
	})
}

func (p *peer) synced() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inStep
}

func (p *peer) write(frame []byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
	return p.conn.WriteMessage(websocket.BinaryMessage, frame)
}

func (p *peer) acked(pos uint64) {
	p.mu.Lock()
	if pos > p.ackedAt {
		p.ackedAt = pos
		close(p.ackCh)
		p.ackCh = make(chan struct{})
	}
	p.mu.Unlock()
}

// waitAck waits until the standby holds pos, at most d.
func (p *peer) waitAck(pos uint64, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		p.mu.Lock()
		if p.ackedAt >= pos {
			p.mu.Unlock()
			return true
		}
		ch := p.ackCh
		p.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return false
		case <-p.done:
			return false
		}
	}
}

// expect is closed when the standby says it keeps the scan sha.
func (p *peer) expect(sha string) chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch, ok := p.haves[sha]
	if !ok {
		ch = make(chan struct{})
		p.haves[sha] = ch
	}
	return ch
}

func (p *peer) have(sha string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ch, ok := p.haves[sha]; ok {
		close(ch)
		delete(p.haves, sha)
	}
}

func (p *peer) sendScan(src Source, sha string) error {
	f, err := src.OpenScan(sha)
	if err != nil {
		return nil // erased meanwhile: nothing to send
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, 64<<20))
	if err != nil {
		return err
	}
	return p.write(append(append([]byte{frameScan}, sha...), body...))
}
