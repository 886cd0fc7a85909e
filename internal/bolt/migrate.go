package bolt

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Schema is the layout this code reads and writes: meta/version holds it (a
// decimal number). A new store is made at it; an older one is migrated
// forward at open, after a copy of the file is kept beside it, every step in
// one transaction (all or nothing); a newer one is refused.
const Schema = 5

// migrations[v] brings a store from version v-1 to v. Versions 2 to 4 are
// the upgrades schema-1 stores got one by one before migrations were
// numbered (each still marked in meta, so a store that had one skips it).
var migrations = [Schema + 1]struct {
	what string
	run  func(w *txWriter) error
}{
	2: {"the dossiers' day tallies", (*txWriter).buildFlows},
	3: {"the dossiers and the access log on the event chain", (*txWriter).chainPaperwork},
	4: {"the dossiers' facts on the event chain", (*txWriter).chainFacts},
	5: {"the office's profile on the event chain", (*txWriter).chainProfile},
}

// Migration is what Open did to an older store: from and to versions, and
// the copy of the file kept before (empty when it did nothing).
type Migration struct {
	From, To int
	Backup   string
}

// Migrated says what Open did to an older store (From == To: nothing).
func (s *Store) Migrated() Migration { return s.migration }

// storedSchema reads meta/version: 0 for a new store.
func storedSchema(meta *bbolt.Bucket) (int, error) {
	raw := meta.Get(kVersion)
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("meta/version is %q, not a schema version", raw)
	}
	return v, nil
}

// errNewer is the refusal of a store written by a newer program.
func errNewer(v int) error {
	return problem.Errorf(problem.EInvalid,
		"Dữ liệu có phiên bản cấu trúc %d, mới hơn chương trình này (%d): đây là dữ liệu của một motcua-server mới hơn. Hãy cài lại bản mới đó (dữ liệu không bị thay đổi)",
		"the data's schema is version %d, newer than this program's %d: a newer motcua-server wrote it. Install that version again (the data is untouched)", v, Schema)
}

// migrate brings a store older than Schema forward: first a copy of the
// file beside it (motcua.db.before-schema-N-<time>), then every step in one
// transaction with the new version; the steps' events go on the chain
// after the store's last.
func (s *Store) migrate(dir string, from int) (Migration, error) {
	m := Migration{From: from, To: from}
	if from >= Schema {
		return m, nil
	}
	m.Backup = filepath.Join(dir, fmt.Sprintf("%s.before-schema-%d-%s", FileName, Schema, s.now().UTC().Format("20060102-150405")))
	if _, err := s.BackupFile(m.Backup); err != nil {
		return m, fmt.Errorf("the copy before migrating: %w", err)
	}
	var w *txWriter
	err := s.update(func(tx *wtx) error {
		w = &txWriter{s: s, tx: tx, now: s.now(), seq: s.seq, hash: s.hash}
		for v := from + 1; v <= Schema; v++ {
			if err := migrations[v].run(w); err != nil {
				return fmt.Errorf("schema %d (%s): %w", v, migrations[v].what, err)
			}
		}
		return tx.Bucket(bMeta).Put(kVersion, []byte(strconv.Itoa(Schema)))
	})
	if err != nil {
		return m, fmt.Errorf("migrating the data from schema %d to %d (nothing changed; the copy %s is kept): %w", from, Schema, m.Backup, err)
	}
	s.seq, s.hash, m.To = w.seq, w.hash, Schema
	return m, s.useStoredSettings() // a step may have written a version of the settings

}

// once runs fn unless meta holds key, then records key.
func (w *txWriter) once(key []byte, fn func() error) error {
	meta := w.tx.Bucket(bMeta)
	if meta.Get(key) != nil {
		return nil
	}
	if err := fn(); err != nil {
		return err
	}
	return meta.Put(key, []byte("1"))
}

// buildFlows makes the day tallies of a store written before they were kept.
func (w *txWriter) buildFlows() error {
	return w.once(kFlowsBuilt, func() error {
		w.batch = map[string]map[string]*intake.Flows{}
		var list []intake.Dossier
		if err := w.tx.Bucket(bDossiers).ForEach(func(k, v []byte) error {
			var d intake.Dossier
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			list = append(list, d)
			return nil
		}); err != nil {
			return err
		}
		for _, d := range list {
			if err := w.flowDossier(nil, d); err != nil {
				return err
			}
		}
		err := w.writeFlows(w.batch)
		w.batch = nil
		return err
	})
}

// chainProfile writes the settings in force again as a new version, so that
// the event chain carries the office's profile (settings.changed's office)
// from here on: the province lays out its reports by the profile the chain
// says, and its verify re-derives them from it.
func (w *txWriter) chainProfile() error {
	_, err := w.putSettings(queue.Actor{Kind: queue.ActorSystem, ID: "upgrade"}, swap{settings: w.s.settings},
		[]string{"hồ sơ văn phòng ghi lên chuỗi sự kiện / the office's profile put on the event chain"})
	return err
}
