package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// A standby's copy of the store: a file no Store has open, changed only by
// Apply (a primary's changes, in order, each checked) and Install (a
// primary's whole file, when the standby starts or fell too far behind).
// Promotion closes it and opens the file as a Store.

// Limits on a change read from the network: a change is one transaction of
// the writer (an import of 10,000 tickets is the largest).
const (
	maxChangeOps  = 1 << 20
	maxPathDepth  = 8
	maxChangeSize = 256 << 20
)

// DecodeChange reads Encode's bytes. Bytes that are not a change are an
// error, never a panic.
func DecodeChange(b []byte) (Change, error) {
	bad := func(what string) (Change, error) { return Change{}, fmt.Errorf("not a change: %s", what) }
	if len(b) > maxChangeSize {
		return bad("too large")
	}
	r := bytes.NewReader(b)
	num := func() (uint64, bool) { n, err := binary.ReadUvarint(r); return n, err == nil }
	field := func() ([]byte, bool) {
		n, ok := num()
		if !ok || n > uint64(r.Len()) {
			return nil, false
		}
		if n == 0 {
			return nil, true
		}
		p := make([]byte, n)
		_, err := io.ReadFull(r, p)
		return p, err == nil
	}
	var c Change
	var ok bool
	var n uint64
	if c.Pos, ok = num(); !ok {
		return bad("position")
	}
	if n, ok = num(); !ok || n > maxChangeOps || n > uint64(r.Len()) {
		return bad("count")
	}
	c.Ops = make([]Op, 0, n)
	for range n {
		var op Op
		k, err := r.ReadByte()
		if err != nil || k < opPut || k > opSequence {
			return bad("kind")
		}
		op.Kind = k
		depth, ok := num()
		if !ok || depth > maxPathDepth {
			return bad("path")
		}
		for range depth {
			p, ok := field()
			if !ok || len(p) == 0 {
				return bad("path")
			}
			op.Path = append(op.Path, p)
		}
		if op.Key, ok = field(); !ok {
			return bad("key")
		}
		if op.Value, ok = field(); !ok {
			return bad("value")
		}
		if op.Seq, ok = num(); !ok {
			return bad("sequence")
		}
		if (op.Kind != opSequence && len(op.Key) == 0) || (op.Kind != opBucket && op.Kind != opDeleteBucket && op.Kind != opSequence && len(op.Path) == 0) {
			return bad("an op without its key or bucket")
		}
		if op.Kind == opPut && len(op.Path) == 1 && bytes.Equal(op.Path[0], bMeta) && bytes.Equal(op.Key, kPosHash) {
			c.Hash = op.Value // the history's hash the change brings
		}
		c.Ops = append(c.Ops, op)
	}
	if r.Len() != 0 {
		return bad("trailing bytes")
	}
	return c, nil
}

// Follower is a standby's copy of the store.
type Follower struct {
	dir string
	db  *bbolt.DB
	// pos, seq and epoch are read by others (a standby's /healthz) while
	// Apply runs: the last change applied, the last event, the epoch.
	pos, seq, epoch atomic.Uint64
	posHash         atomic.Pointer[[]byte] // the history's hash at pos (the primary's kPosHash)
	hash            []byte                 // the last event's chain hash (Apply's own)
}

// PosHash is the history's hash at Pos as the copy holds it (nil: none):
// the primary resumes a standby only when its own history has the same.
func (f *Follower) PosHash() []byte {
	if p := f.posHash.Load(); p != nil {
		return *p
	}
	return nil
}

// readMeta takes the position, epoch and history's hash from tx.
func (f *Follower) readMeta(tx *bbolt.Tx) {
	f.pos.Store(readPos(tx))
	f.epoch.Store(readEpoch(tx))
	var h []byte
	if m := tx.Bucket(bMeta); m != nil {
		h = clone(m.Get(kPosHash))
	}
	f.posHash.Store(&h)
}

// OpenFollower opens (or creates) the copy in dir.
func OpenFollower(dir string) (*Follower, error) {
	if err := os.MkdirAll(filepath.Join(dir, ScanDir), 0o700); err != nil {
		return nil, err
	}
	f := &Follower{dir: dir}
	return f, f.open()
}

func (f *Follower) open() error {
	db, err := bbolt.Open(filepath.Join(f.dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return ErrLocked
	}
	if err != nil {
		return err
	}
	f.db, f.hash = db, make([]byte, hashLen)
	f.seq.Store(0)
	return db.View(func(tx *bbolt.Tx) error {
		f.readMeta(tx)
		if b := tx.Bucket(bEvents); b != nil {
			if k, v := b.Cursor().Last(); k != nil {
				h, _, err := splitEvent(v)
				if err != nil {
					return err
				}
				f.seq.Store(beU64(k))
				f.hash = append([]byte(nil), h...)
			}
		}
		return nil
	})
}

// Pos is the position of the last change the copy holds (0: none).
func (f *Follower) Pos() uint64 { return f.pos.Load() }

// Epoch is the primary's epoch as the copy holds it.
func (f *Follower) Epoch() uint64 { return f.epoch.Load() }

// Seq is the last event the copy holds.
func (f *Follower) Seq() uint64 { return f.seq.Load() }

// Dir is the copy's data directory.
func (f *Follower) Dir() string { return f.dir }

// Apply writes c to the copy in one transaction, on the disk when it
// returns. c must follow the copy's position, and the events it appends
// must follow its chain (seqs with no gap, each hash linking to the one
// before): otherwise nothing is written and the copy must be installed
// afresh.
func (f *Follower) Apply(c Change) error {
	if c.Pos != f.Pos()+1 {
		return fmt.Errorf("change %d does not follow %d", c.Pos, f.Pos())
	}
	seq, hash := f.Seq(), f.hash
	err := f.db.Update(func(tx *bbolt.Tx) error {
		for i, op := range c.Ops {
			if err := applyOp(tx, op, &seq, &hash); err != nil {
				return fmt.Errorf("change %d op %d: %w", c.Pos, i, err)
			}
		}
		if readPos(tx) != c.Pos {
			return fmt.Errorf("change %d does not carry its position", c.Pos)
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.hash = hash
	f.seq.Store(seq)
	f.db.View(func(tx *bbolt.Tx) error { f.readMeta(tx); return nil })
	return nil
}

func applyOp(tx *bbolt.Tx, op Op, seq *uint64, hash *[]byte) error {
	var b *bbolt.Bucket
	for i, name := range op.Path {
		if i == 0 {
			b = tx.Bucket(name)
		} else {
			b = b.Bucket(name)
		}
		if b == nil {
			return fmt.Errorf("no bucket %q", name)
		}
	}
	switch op.Kind {
	case opPut:
		if len(op.Path) == 1 && bytes.Equal(op.Path[0], bEvents) {
			if err := follows(op, seq, hash); err != nil {
				return err
			}
			b.FillPercent = 1.0
		}
		if op.Value == nil {
			op.Value = []byte{} // an empty value, not a bucket
		}
		return b.Put(op.Key, op.Value)
	case opDelete:
		if len(op.Path) == 1 && bytes.Equal(op.Path[0], bEvents) {
			return errors.New("an event deleted")
		}
		return b.Delete(op.Key)
	case opBucket:
		if b == nil {
			_, err := tx.CreateBucketIfNotExists(op.Key)
			return err
		}
		_, err := b.CreateBucketIfNotExists(op.Key)
		return err
	case opDeleteBucket:
		if b == nil {
			return tx.DeleteBucket(op.Key)
		}
		return b.DeleteBucket(op.Key)
	case opSequence:
		if b == nil {
			return errors.New("a sequence of no bucket")
		}
		return b.SetSequence(op.Seq)
	}
	return fmt.Errorf("op kind %d", op.Kind)
}

// follows checks an event appended to the chain: the next seq, its hash
// linking to the one before.
func follows(op Op, seq *uint64, hash *[]byte) error {
	if len(op.Key) != 8 || beU64(op.Key) != *seq+1 {
		return fmt.Errorf("event %x does not follow %d", op.Key, *seq)
	}
	h, raw, err := splitEvent(op.Value)
	if err != nil {
		return err
	}
	if !bytes.Equal(chainHash(*hash, raw), h) {
		return fmt.Errorf("event %d does not link to the chain", *seq+1)
	}
	*seq, *hash = *seq+1, append([]byte(nil), h...)
	return nil
}

// Install replaces the copy with a primary's whole file read from r (its
// WriteTo): written aside, synced, checked (its chain verified), then put
// in place of the old one.
func (f *Follower) Install(r io.Reader) error {
	path := filepath.Join(f.dir, FileName)
	tmp := path + ".installing"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_, err = VerifyFile(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("the primary's copy: %w", err)
	}
	if err := f.db.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(f.dir); err == nil {
		d.Sync()
		d.Close()
	}
	return f.open()
}

// Close closes the copy.
func (f *Follower) Close() error { return f.db.Close() }

// CopyTo writes the store's whole file, as it is at one moment, to w,
// and returns its position then (changes after it follow the copy).
func (s *Store) CopyTo(w io.Writer) (uint64, error) {
	var pos uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		pos = readPos(tx)
		_, err := tx.WriteTo(w)
		return err
	})
	return pos, err
}
