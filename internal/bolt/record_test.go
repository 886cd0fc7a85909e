package bolt

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// TestEveryWriteIsRecorded reads the package's source: a write
// transaction is begun only by update (record.go) and by the standby's
// Apply (follow.go), and a recorded transaction's raw bbolt handle (rtx,
// Raw) is only ever given to the helpers that read. So every write a
// primary makes is in its changes, and a standby misses none.
func TestEveryWriteIsRecorded(t *testing.T) {
	readers := map[string]bool{"latestSettings": true, "tallyDays": true, "storedSchema": true, "readEpoch": true}
	writers := map[string]bool{"record.go": true, "follow.go": true}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		given := map[ast.Node]bool{} // rtx/Raw() handed straight to a reader
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); ok && readers[fn.Name] {
				for _, a := range call.Args {
					given[a] = true
				}
			}
			if fn, ok := call.Fun.(*ast.SelectorExpr); ok && readers[fn.Sel.Name] {
				for _, a := range call.Args {
					given[a] = true
				}
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Update" || sel.Sel.Name == "Batch") && !writers[name] {
				t.Errorf("%s: a write transaction outside update: every write must be recorded for the standby", fset.Position(call.Pos()))
			}
			return true
		})
		if name == "record.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if given[n] {
				return false
			}
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if x.Sel.Name == "rtx" {
					t.Errorf("%s: a recorded transaction's raw handle used other than by a reader", fset.Position(x.Pos()))
				}
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Raw" && len(x.Args) == 0 {
					t.Errorf("%s: a recorded bucket's raw handle used other than by a reader", fset.Position(x.Pos()))
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("read %d files: not the package's directory", checked)
	}
}

// dump is every bucket's keys, values and sequence, nested, as text.
func dump(t *testing.T, db *bbolt.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(path string, b *bbolt.Bucket)
	walk = func(path string, b *bbolt.Bucket) {
		out[path+"#seq"] = fmt.Sprint(b.Sequence())
		b.ForEach(func(k, v []byte) error {
			if v == nil {
				walk(path+"/"+string(k), b.Bucket(k))
			} else {
				out[path+"/"+string(k)] = string(v)
			}
			return nil
		})
	}
	db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { walk(string(name), b); return nil })
	})
	return out
}

// A store's changes, applied in order to a follower installed from its
// snapshot, give a file with the same keys, values and sequences in every
// bucket (the sessions, the dossiers' records and the day's tally
// included) and a chain that verifies; a change out of order, one whose
// event does not link to the chain, or bytes that are no change are
// refused and change nothing.
func TestAFollowerHoldsWhatThePrimaryHolds(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), c)
	defer s.Close()
	issue(t, s, "a", "before")
	var mu sync.Mutex
	var changes []Change
	s.SetShipper(shipFunc(func(ch Change) {
		d, err := DecodeChange(ch.Encode())
		if err != nil || !reflect.DeepEqual(d, ch) || len(ch.Hash) != 32 {
			t.Errorf("decode: %v %v (hash %x)", err, !reflect.DeepEqual(d, ch), ch.Hash)
		}
		mu.Lock()
		changes = append(changes, d)
		mu.Unlock()
	}))
	var snap bytes.Buffer
	pos, err := s.CopyTo(&snap)
	if err != nil || pos == 0 {
		t.Fatal(pos, err)
	}
	f, err := OpenFollower(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Install(&snap); err != nil || f.Pos() != pos {
		t.Fatalf("install: %v, at %d want %d", err, f.Pos(), pos)
	}
	// The work: tickets, a call, a dossier, a session in and out, the
	// next day (its tally written), a settings change.
	for i := range 20 {
		issue(t, s, "ab"[i%2:i%2+1], fmt.Sprintf("t%d", i))
	}
	clerk := queue.Actor{Kind: queue.ActorClerk, ID: "quay1", Name: "Chị Lan"}
	if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpNext, Counter: 1, Actor: clerk}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDossier(intake.Dossier{Agency: "H29.100", ReceivedAt: c.Now(), Status: intake.Received, Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession("tok", "quay1", 1, c.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession("tok", c.Now()); err != nil {
		t.Fatal(err)
	}
	c.Set(c.Now().Add(24 * time.Hour))
	issue(t, s, "a", "next-day")
	mu.Lock()
	got := append([]Change(nil), changes...)
	mu.Unlock()
	if len(got) < 20 {
		t.Fatalf("%d changes shipped", len(got))
	}
	// Out of order, a broken chain, bytes that are no change: refused.
	later := got[len(got)-1]
	if err := f.Apply(later); err == nil && len(got) > 1 {
		t.Fatal("a change out of order applied")
	}
	for _, c := range got {
		if c.Pos <= pos {
			continue
		}
		if tampered, ok := tamper(c); ok {
			if err := f.Apply(tampered); err == nil {
				t.Fatalf("change %d with an altered event applied", c.Pos)
			}
		}
		if err := f.Apply(c); err != nil {
			t.Fatalf("apply %d: %v", c.Pos, err)
		}
	}
	if f.Pos() != s.Pos() {
		t.Fatalf("the follower at %d, the primary at %d", f.Pos(), s.Pos())
	}
	want, have := dump(t, s.db), dump(t, f.db)
	for k, v := range want {
		if have[k] != v {
			t.Fatalf("%s: the follower has %q, the primary %q", k, have[k], v)
		}
	}
	if len(have) != len(want) {
		t.Fatalf("the follower has %d keys, the primary %d", len(have), len(want))
	}
	f.Close()
	if n, err := VerifyFile(filepath.Join(f.Dir(), FileName)); err != nil || n != s.Snapshot().Seq {
		t.Fatalf("the follower's chain: %d events, %v", n, err)
	}
	for _, junk := range [][]byte{nil, {1}, {1, 1, 9}, append(later.Encode(), 0), later.Encode()[:len(later.Encode())-1]} {
		if _, err := DecodeChange(junk); err == nil {
			t.Fatalf("%x decoded", junk)
		}
	}
}

// tamper alters the first event a change appends (a byte of its JSON).
func tamper(c Change) (Change, bool) {
	for i, op := range c.Ops {
		if op.Kind == opPut && len(op.Path) == 1 && string(op.Path[0]) == string(bEvents) {
			ops := append([]Op(nil), c.Ops...)
			v := append([]byte(nil), op.Value...)
			v[len(v)-2] ^= 1
			ops[i].Value = v
			return Change{Pos: c.Pos, Ops: ops}, true
		}
	}
	return c, false
}

// FuzzDecodeChange: bytes from the network never panic the standby, and
// a change that decodes encodes to bytes that decode to it again.
func FuzzDecodeChange(f *testing.F) {
	f.Add(Change{Pos: 7, Ops: []Op{{Kind: opPut, Path: [][]byte{[]byte("events")}, Key: []byte("k"), Value: []byte("v")}, {Kind: opSequence, Path: [][]byte{[]byte("a"), []byte("b")}, Seq: 9}}}.Encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChange(b)
		if err != nil {
			return
		}
		again, err := DecodeChange(c.Encode())
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("%x decodes to %+v, which encodes to %x: %+v %v", b, c, c.Encode(), again, err)
		}
	})
}

// shipFunc ships to a function (the test's standby); nothing waits.
type shipFunc func(Change)

func (f shipFunc) Ship(c Change)  { f(c) }
func (shipFunc) Committed(uint64) {}
func (shipFunc) Abandon(uint64)   {}
