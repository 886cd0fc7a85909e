package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"motcua/internal/problem"
	"motcua/internal/queue"

	bbolt "go.etcd.io/bbolt"
)

// tinyDisk mounts a 4 MiB tmpfs for the test (the test runs as root, as CI
// does) and unmounts it afterwards.
func tinyDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (not root? %v %s); CI runs as root and runs this", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// On a full disk every command is refused as "storage full" (503), nothing
// acknowledged is lost, and once there is room the store goes on and records
// the outage as an alert.
func TestDiskFull(t *testing.T) {
	dir := tinyDisk(t)
	c := newClock()
	s, err := Open(filepath.Join(dir, "data"), office(), Options{Now: c.Now, TickEvery: 3600e9})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	filler := filepath.Join(dir, "filler")
	f, _ := os.Create(filler)
	f.Write(make([]byte, 3<<20+512<<10)) // leave half a megabyte
	f.Close()
	var issued []queue.Ticket
	var full error
	for i := range 5000 {
		res, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: []string{"a", "b"}[i%2], Token: fmt.Sprint("tok-", i)})
		if err != nil {
			full = err
			break
		}
		issued = append(issued, *res.Ticket)
	}
	if full == nil {
		t.Fatal("5,000 tickets fitted in half a megabyte")
	}
	if problem.CodeOf(full) != problem.EStorageFull || s.StorageFullSince().IsZero() {
		t.Fatalf("on a full disk: %v (since %v), want storage_full", full, s.StorageFullSince())
	}
	os.Remove(filler)
	res, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: "after"})
	if err != nil {
		t.Fatalf("with room again: %v", err)
	}
	if !s.StorageFullSince().IsZero() {
		t.Error("still full after a commit went through")
	}
	for _, tk := range issued {
		if got, ok, err := s.TicketByToken(tk.Token); err != nil || !ok || got.ID != tk.ID {
			t.Fatalf("acknowledged ticket %s lost: %v %v", tk.ID, ok, err)
		}
	}
	if res.Ticket.Number <= issued[len(issued)-1].Number && res.Ticket.ServiceID == issued[len(issued)-1].ServiceID {
		t.Errorf("a number reused after the full disk: %d", res.Ticket.Number)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	var alerts int
	s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bEvents).ForEach(func(k, v []byte) error {
			_, raw, _ := splitEvent(v)
			var e queue.Event
			if json.Unmarshal(raw, &e) == nil && e.Type == queue.EvDevice && e.Alert != nil && e.Alert.Code == "storage_full" {
				alerts++
			}
			return nil
		})
	})
	if alerts != 1 {
		t.Errorf("%d storage_full alerts on the record, want the outage once", alerts)
	}
}
