package bolt

import (
	"crypto/sha256"
	"encoding/binary"

	bbolt "go.etcd.io/bbolt"
)

// Every change to the store's file goes through update: its transaction
// is a wtx, whose buckets record each write (the bucket's path, the key,
// the value) as they make it. After the commit the writes are one Change,
// numbered by the store's position (kept in meta by the same transaction),
// and handed to the store's shipper: a standby applies them to its own
// file (Apply) and so holds, key for key, what the primary holds — the
// dossiers, settings, outbox and sessions the events only name by hash
// included. No write in this package reaches bbolt any other way
// (TestEveryWriteIsRecorded reads the package's source to see).

// Op kinds.
const (
	opPut byte = iota + 1
	opDelete
	opBucket       // create the bucket at Path+Key if it is not there
	opDeleteBucket // delete the bucket at Path+Key
	opSequence     // set the bucket's sequence to Seq
)

// Op is one write: in the bucket at Path (names from the root), Key.
type Op struct {
	Kind  byte
	Path  [][]byte
	Key   []byte
	Value []byte
	Seq   uint64
}

// Change is one committed transaction's writes, at its position in the
// store's history (1, 2, …; the position's own write in meta is among
// them, and, while a standby is shipped to, the history's hash).
type Change struct {
	Pos  uint64
	Ops  []Op
	Hash []byte // the history's hash at Pos (kPosHash; nil when not kept)
}

var (
	kPos     = []byte("repl_pos")  // in meta: the position of the last change
	kPosHash = []byte("repl_hash") // in meta: SHA-256(the previous one, the change's other writes), while shipped
)

// Shipper takes the store's changes for a standby.
type Shipper interface {
	// Ship is handed each change inside its write transaction, before
	// the commit — the standby writes it while the primary syncs its own
	// disk —, in order; it must not block.
	Ship(Change)
	// Committed says the change at pos is on the primary's disk; it
	// returns when the standby has it too (a synchronous standby, within
	// its wait).
	Committed(pos uint64)
	// Abandon says the change at pos was never committed (the disk
	// refused it): the standby must not keep it.
	Abandon(pos uint64)
}

// wtx is a write transaction that records its writes.
type wtx struct {
	rtx    *bbolt.Tx
	keep   bool // a shipper waits for the ops (else only counted)
	writes int
	ops    []Op
}

// Bucket is the top-level bucket name, nil if absent.
func (t *wtx) Bucket(name []byte) *wbucket {
	b := t.rtx.Bucket(name)
	if b == nil {
		return nil
	}
	return &wbucket{b: b, t: t, path: [][]byte{name}}
}

// CreateBucketIfNotExists is bbolt's, recorded.
func (t *wtx) CreateBucketIfNotExists(name []byte) (*wbucket, error) {
	if b := t.rtx.Bucket(name); b != nil {
		return &wbucket{b: b, t: t, path: [][]byte{name}}, nil
	}
	b, err := t.rtx.CreateBucket(name)
	if err != nil {
		return nil, err
	}
	t.record(Op{Kind: opBucket, Key: name})
	return &wbucket{b: b, t: t, path: [][]byte{name}}, nil
}

// DeleteBucket is bbolt's, recorded.
func (t *wtx) DeleteBucket(name []byte) error {
	if err := t.rtx.DeleteBucket(name); err != nil {
		return err
	}
	t.record(Op{Kind: opDeleteBucket, Key: name})
	return nil
}

func (t *wtx) record(op Op) {
	t.writes++
	if !t.keep {
		return
	}
	op.Key = clone(op.Key)
	op.Value = clone(op.Value)
	t.ops = append(t.ops, op)
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// wbucket is a bucket of a wtx: bbolt's methods, the writes recorded.
type wbucket struct {
	b    *bbolt.Bucket
	t    *wtx
	path [][]byte
}

func (b *wbucket) Get(k []byte) []byte                      { return b.b.Get(k) }
func (b *wbucket) Cursor() *bbolt.Cursor                    { return b.b.Cursor() }
func (b *wbucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b *wbucket) Sequence() uint64                         { return b.b.Sequence() }

// Raw is the bucket for reading (helpers shared with View).
func (b *wbucket) Raw() *bbolt.Bucket { return b.b }

// SetFill sets how full bbolt packs the bucket's pages (appends only).
func (b *wbucket) SetFill(f float64) { b.b.FillPercent = f }

func (b *wbucket) Put(k, v []byte) error {
	if err := b.b.Put(k, v); err != nil {
		return err
	}
	b.t.record(Op{Kind: opPut, Path: b.path, Key: k, Value: v})
	return nil
}

func (b *wbucket) Delete(k []byte) error {
	if err := b.b.Delete(k); err != nil {
		return err
	}
	b.t.record(Op{Kind: opDelete, Path: b.path, Key: k})
	return nil
}

func (b *wbucket) Bucket(name []byte) *wbucket {
	c := b.b.Bucket(name)
	if c == nil {
		return nil
	}
	return &wbucket{b: c, t: b.t, path: b.sub(name)}
}

func (b *wbucket) CreateBucketIfNotExists(name []byte) (*wbucket, error) {
	if c := b.b.Bucket(name); c != nil {
		return &wbucket{b: c, t: b.t, path: b.sub(name)}, nil
	}
	c, err := b.b.CreateBucket(name)
	if err != nil {
		return nil, err
	}
	b.t.record(Op{Kind: opBucket, Path: b.path, Key: name})
	return &wbucket{b: c, t: b.t, path: b.sub(name)}, nil
}

func (b *wbucket) DeleteBucket(name []byte) error {
	if err := b.b.DeleteBucket(name); err != nil {
		return err
	}
	b.t.record(Op{Kind: opDeleteBucket, Path: b.path, Key: name})
	return nil
}

func (b *wbucket) NextSequence() (uint64, error) {
	n, err := b.b.NextSequence()
	if err != nil {
		return 0, err
	}
	b.t.record(Op{Kind: opSequence, Path: b.path, Seq: n})
	return n, nil
}

func (b *wbucket) SetSequence(n uint64) error {
	if err := b.b.SetSequence(n); err != nil {
		return err
	}
	b.t.record(Op{Kind: opSequence, Path: b.path, Seq: n})
	return nil
}

func (b *wbucket) sub(name []byte) [][]byte {
	return append(append(make([][]byte, 0, len(b.path)+1), b.path...), clone(name))
}

// update runs fn in a write transaction whose writes are recorded and
// moves the store's position on in it. With a shipper (a standby's), the
// history's hash moves on too, and the change is shipped before the
// commit (the two disks sync at once); after the commit update waits for
// the standby (Committed), or, the commit failed, takes it back
// (Abandon). The commit stands whatever the standby does.
func (s *Store) update(fn func(tx *wtx) error) error {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	var ch Change
	var shipped Shipper
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var ship Shipper
		if p := s.shipper.Load(); p != nil {
			ship = *p
		}
		t := &wtx{rtx: tx, keep: ship != nil}
		if err := fn(t); err != nil {
			return err
		}
		if t.writes == 0 {
			return nil
		}
		meta := t.Bucket(bMeta)
		ch.Pos = beU64Or0(meta.Get(kPos)) + 1
		if err := meta.Put(kPos, u64(ch.Pos)); err != nil {
			return err
		}
		if ship == nil {
			if meta.Get(kPosHash) != nil { // a hash of a position no longer the last
				return meta.Delete(kPosHash)
			}
			return nil
		}
		ch.Ops = t.ops
		sum := sha256.New()
		sum.Write(meta.Get(kPosHash))
		sum.Write(ch.Encode())
		ch.Hash = sum.Sum(nil)
		if err := meta.Put(kPosHash, ch.Hash); err != nil {
			return err
		}
		ch.Ops = t.ops
		ship.Ship(ch)
		shipped = ship
		return nil
	})
	if err != nil {
		if shipped != nil {
			shipped.Abandon(ch.Pos)
		}
		return err
	}
	if ch.Pos == 0 {
		return nil
	}
	s.pos.Store(ch.Pos)
	if shipped != nil {
		shipped.Committed(ch.Pos)
	}
	return nil
}

// History is the last change the file holds and the history's hash
// there (nil when it is not kept: no standby since that change), read
// together. A standby that comes back holding the same position and hash
// holds the same history.
func (s *Store) History() (pos uint64, hash []byte) {
	s.db.View(func(tx *bbolt.Tx) error {
		pos = readPos(tx)
		if m := tx.Bucket(bMeta); m != nil {
			hash = clone(m.Get(kPosHash))
		}
		return nil
	})
	return pos, hash
}

// Pos is the position of the last change the store's file holds.
func (s *Store) Pos() uint64 { return s.pos.Load() }

// SetShipper has every change after this one handed to ship, in order,
// before its command is answered (Shipper). nil: none.
func (s *Store) SetShipper(ship Shipper) {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	if ship == nil {
		s.shipper.Store(nil)
		return
	}
	s.shipper.Store(&ship)
}

// readPos reads the stored position (Open).
func readPos(tx *bbolt.Tx) uint64 {
	if m := tx.Bucket(bMeta); m != nil {
		return beU64Or0(m.Get(kPos))
	}
	return 0
}

// Encode writes c as bytes: the position, then each op (its kind, its
// path's names, key, value, sequence), every length a uvarint.
func (c Change) Encode() []byte {
	n := 16
	for _, op := range c.Ops {
		n += 16 + len(op.Key) + len(op.Value)
		for _, p := range op.Path {
			n += 4 + len(p)
		}
	}
	b := binary.AppendUvarint(make([]byte, 0, n), c.Pos)
	b = binary.AppendUvarint(b, uint64(len(c.Ops)))
	bytes := func(p []byte) {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	for _, op := range c.Ops {
		b = append(b, op.Kind)
		b = binary.AppendUvarint(b, uint64(len(op.Path)))
		for _, p := range op.Path {
			bytes(p)
		}
		bytes(op.Key)
		bytes(op.Value)
		b = binary.AppendUvarint(b, op.Seq)
	}
	return b
}
