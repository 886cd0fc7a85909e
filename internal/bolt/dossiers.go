package bolt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// CreateDossier stores a new dossier, giving it the next number of its agency's
// day in the same transaction, so two counters never get the same code. Like
// every change of a dossier it goes through the writer, with an event on the
// chain that carries the record's hash (Verify checks the records against it).
func (s *Store) CreateDossier(d intake.Dossier) (intake.Dossier, error) {
	if !intake.ValidAgency(d.Agency) {
		return d, problem.Errorf(problem.EInvalid, "Mã cơ quan %q không hợp lệ (chữ in hoa, số, dấu chấm)", "agency code %q is invalid (capitals, digits, dots)", d.Agency)
	}
	v, err := s.runJob(func(w *txWriter) (any, error) {
		seqs := w.tx.Bucket(bDosSeq)
		key := []byte(d.Agency + "-" + d.ReceivedAt.Format("060102"))
		var n uint64
		if v := seqs.Get(key); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		n++
		width := s.pending(w).office.DossierWidth()
		if last := uint64(math.Pow10(width)) - 1; n > last {
			return nil, problem.Errorf(problem.EConflict, "Đã hết số hồ sơ trong ngày (%d); tăng số chữ số (dossier_digits) trong cấu hình", "no dossier numbers left today (%d); raise dossier_digits in the settings", last)
		}
		d.Seq = int(n)
		d.Code = intake.Code(d.Agency, d.ReceivedAt, d.Seq, width)
		if w.tx.Bucket(bDossiers).Get([]byte(d.Code)) != nil {
			return nil, problem.Errorf(problem.EConflict, "Mã hồ sơ %s đã có", "dossier code %s exists already", d.Code)
		}
		if err := seqs.Put(key, u64(n)); err != nil {
			return nil, failed{err}
		}
		return d, w.putDossier(d, queue.Actor{Kind: queue.ActorClerk, ID: d.Clerk, Name: d.ClerkName}, string(d.Status))
	})
	if err != nil {
		return d, err
	}
	return v.(intake.Dossier), nil
}

// putDossier writes d and appends its dossier.changed event with the record's
// hash; a failure is the transaction's.
func (w *txWriter) putDossier(d intake.Dossier, by queue.Actor, action string) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return failed{err}
	}
	var old *intake.Dossier // its day tallies are taken back for the new ones
	if prev := w.tx.Bucket(bDossiers).Get([]byte(d.Code)); prev != nil {
		old = &intake.Dossier{}
		if err := json.Unmarshal(prev, old); err != nil {
			return failed{err}
		}
	}
	if err := w.flowDossier(old, d); err != nil {
		return failed{err}
	}
	if err := w.tx.Bucket(bDossiers).Put([]byte(d.Code), raw); err != nil {
		return failed{err}
	}
	if _, err := w.emit(queue.Event{Type: queue.EvDossier, Time: w.now, Actor: by,
		Dossier: &queue.DossierMark{Code: d.Code, Action: action, Record: recordHash(raw), Facts: d.Facts()}}); err != nil {
		return failed{err}
	}
	return nil
}

// recordHash is the hex SHA-256 of a stored record.
func recordHash(raw []byte) string {
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

// Dossier reads one dossier.
func (s *Store) Dossier(code string) (intake.Dossier, bool, error) {
	var d intake.Dossier
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bDossiers).Get([]byte(code))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &d)
	})
	return d, ok, err
}

// UpdateDossier reads, changes (fn) and writes a dossier in one transaction,
// through the writer, with an event on the chain saying who did what.
func (s *Store) UpdateDossier(code string, by queue.Actor, action string, fn func(*intake.Dossier) error) (intake.Dossier, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		var d intake.Dossier
		raw := w.tx.Bucket(bDossiers).Get([]byte(code))
		if raw == nil {
			return nil, problem.Errorf(problem.ENotFound, "Không có hồ sơ %s", "no dossier %s", code)
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, err
		}
		if err := fn(&d); err != nil {
			return nil, err
		}
		return d, w.putDossier(d, by, action)
	})
	if err != nil {
		return intake.Dossier{}, err
	}
	return v.(intake.Dossier), nil
}

// Dossiers lists the dossiers received in [from, to), in code order.
func (s *Store) Dossiers(from, to time.Time) ([]intake.Dossier, error) {
	return decodeDossiers(s, func(d *intake.Dossier) (intake.Dossier, bool) {
		return *d, !d.ReceivedAt.Before(from) && d.ReceivedAt.Before(to)
	})
}

// decodeDossiers decodes every stored dossier as a T on every core and
// keeps what pick says, in code order.
func decodeDossiers[T any](s *Store, pick func(*T) (intake.Dossier, bool)) ([]intake.Dossier, error) {
	var out []intake.Dossier
	err := s.db.View(func(tx *bbolt.Tx) error {
		var raws [][]byte // valid while tx lasts
		tx.Bucket(bDossiers).ForEach(func(k, v []byte) error { raws = append(raws, v); return nil })
		all := make([]intake.Dossier, len(raws))
		keep := make([]bool, len(raws))
		if err := onCores(cores(), len(raws), func(_, i int) error {
			var t T
			if err := json.Unmarshal(raws[i], &t); err != nil {
				return err
			}
			all[i], keep[i] = pick(&t)
			return nil
		}); err != nil {
			return err
		}
		for i := range all {
			if keep[i] {
				out = append(out, all[i])
			}
		}
		return nil
	})
	return out, err
}

// accessRecord is one line of the access log, kept under the seq of its
// dossier.accessed event (Verify checks the two agree).
type accessRecord struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Code   string    `json:"code"`
	Action string    `json:"action"`
}

// LogAccess records who opened which dossier and why ("view", "print mau-01",
// …), through the writer, as an event on the chain.
func (s *Store) LogAccess(at time.Time, who, code, action string) error {
	_, err := s.runJob(func(w *txWriter) (any, error) {
		seq, err := w.emit(queue.Event{Type: queue.EvAccess, Time: at, Actor: queue.Actor{Kind: queue.ActorClerk, ID: who},
			Dossier: &queue.DossierMark{Code: code, Action: action}})
		if err != nil {
			return nil, failed{err}
		}
		raw, _ := json.Marshal(accessRecord{At: at, Who: who, Code: code, Action: action})
		if err := w.tx.Bucket(bAccess).Put(u64(seq), raw); err != nil {
			return nil, failed{err}
		}
		return nil, nil
	})
	return err
}

// AccessLog returns the access log entries of a dossier (all when code is "").
func (s *Store) AccessLog(code string) ([]intake.Access, error) {
	var out []intake.Access
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bAccess).ForEach(func(k, v []byte) error {
			var r accessRecord
			if json.Unmarshal(v, &r) == nil && (code == "" || r.Code == code) {
				out = append(out, intake.Access{At: r.At, Who: r.Who, Code: r.Code, Action: r.Action})
			}
			return nil
		})
	})
	return out, err
}

// EraseDossiers erases the applicant details of every dossier that ended
// (returned, refused, withdrawn, incomplete) before cutoff; statistics stay.
// Each erasure is a change on the chain (the record's new hash). It returns
// how many it erased.
func (s *Store) EraseDossiers(cutoff time.Time) (int, error) {
	var files []string // the erased dossiers' scans, removed once committed
	v, err := s.runJob(func(w *txWriter) (any, error) {
		files = files[:0]
		n := 0
		b := w.tx.Bucket(bDossiers)
		var todo []intake.Dossier
		err := b.ForEach(func(k, v []byte) error {
			var d intake.Dossier
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			end := d.ReturnedAt
			if end.IsZero() && len(d.History) > 0 {
				end = d.History[len(d.History)-1].At
			}
			if end.IsZero() {
				end = d.ReceivedAt
			}
			final := d.Status == intake.Returned || d.Status == intake.Refused || d.Status.Stops() || d.Status == intake.Incomplete
			if !d.Erased && final && end.Before(cutoff) {
				todo = append(todo, d)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		for _, d := range todo { // not while iterating: a Put may move the cursor's pages
			for _, sc := range d.Scans() {
				files = append(files, sc.SHA256)
			}
			d.Erase()
			if err := w.putDossier(d, queue.Actor{Kind: queue.ActorSystem, ID: "retention"}, "erased"); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	})
	if err != nil {
		return 0, err
	}
	if err := s.removeErasedScans(files); err != nil {
		return v.(int), fmt.Errorf("erased, but removing their scans: %w", err)
	}
	return v.(int), nil
}

// chainPaperwork puts on the event chain, once, the dossiers and access log
// of a store written before they went through the writer (meta/paperwork is
// absent): one dossier.changed per dossier with its record's hash, and each
// access-log line again under the seq of its new dossier.accessed event.
func (w *txWriter) chainPaperwork() error {
	return w.once(kPaperwork, func() error {
		tx := w.tx
		if err := w.chainDossiers("on the chain (upgrade)"); err != nil {
			return err
		}
		access := tx.Bucket(bAccess)
		var old [][]byte
		access.ForEach(func(k, v []byte) error { old = append(old, append([]byte(nil), v...)); return nil })
		if err := tx.DeleteBucket(bAccess); err != nil {
			return err
		}
		access, err := tx.CreateBucketIfNotExists(bAccess)
		if err != nil {
			return err
		}
		for _, v := range old {
			var r accessRecord
			if json.Unmarshal(v, &r) != nil {
				continue
			}
			seq, err := w.emit(queue.Event{Type: queue.EvAccess, Time: r.At, Actor: queue.Actor{Kind: queue.ActorClerk, ID: r.Who}, Dossier: &queue.DossierMark{Code: r.Code, Action: r.Action}})
			if err != nil {
				return err
			}
			if err := access.Put(u64(seq), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kFacts, []byte("1")) // the dossiers' events above carry their facts
	})
}

// chainDossiers appends one dossier.changed per stored dossier: its record's
// hash and its facts.
func (w *txWriter) chainDossiers(action string) error {
	sys := queue.Actor{Kind: queue.ActorSystem, ID: "upgrade"}
	return w.tx.Bucket(bDossiers).ForEach(func(k, v []byte) error {
		var d intake.Dossier
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		_, err := w.emit(queue.Event{Type: queue.EvDossier, Time: w.now, Actor: sys, Dossier: &queue.DossierMark{Code: string(k), Action: action, Record: recordHash(v), Facts: d.Facts()}})
		return err
	})
}

// chainFacts puts each dossier's facts on the event chain, once, in a store
// whose dossier events were written without them (meta/facts is absent), so
// the province counts every dossier (docs/PROVINCE.md).
func (w *txWriter) chainFacts() error {
	return w.once(kFacts, func() error { return w.chainDossiers("facts on the chain (upgrade)") })
}

// ImportDossiers writes dossiers of an older system (or a benchmark's year)
// as they are, codes included, 2,000 per transaction through the writer:
// each with its dossier.changed event and record hash, as if received here,
// so verify holds. A code already stored is refused (nothing of its batch
// is written); each agency's day numbering goes on after the highest.
func (s *Store) ImportDossiers(ds []intake.Dossier) error {
	for len(ds) > 0 {
		batch := ds[:min(len(ds), 2000)]
		ds = ds[len(batch):]
		if _, err := s.runJob(func(w *txWriter) (any, error) {
			w.batch = map[string]map[string]*intake.Flows{}
			defer func() { w.batch = nil }()
			seqs := w.tx.Bucket(bDosSeq)
			for _, d := range batch {
				if w.tx.Bucket(bDossiers).Get([]byte(d.Code)) != nil {
					return nil, problem.Errorf(problem.EConflict, "Mã hồ sơ %s đã có", "dossier code %s exists already", d.Code)
				}
				key := []byte(d.Agency + "-" + d.ReceivedAt.Format("060102"))
				if v := seqs.Get(key); len(v) != 8 || binary.BigEndian.Uint64(v) < uint64(d.Seq) {
					if err := seqs.Put(key, u64(uint64(d.Seq))); err != nil {
						return nil, failed{err}
					}
				}
				if err := w.putDossier(d, queue.Actor{Kind: queue.ActorSystem, ID: "import"}, "imported"); err != nil {
					return nil, err
				}
			}
			if err := w.writeFlows(w.batch); err != nil {
				return nil, failed{err}
			}
			return nil, nil
		}); err != nil {
			return err
		}
	}
	return nil
}
