package bolt

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/problem"
)

// CreateDossier stores a new dossier, giving it the next number of its agency's
// day in the same transaction, so two counters never get the same code.
func (s *Store) CreateDossier(d intake.Dossier) (intake.Dossier, error) {
	if !intake.ValidAgency(d.Agency) {
		return d, problem.Errorf(problem.EInvalid, "Mã cơ quan %q không hợp lệ (chữ in hoa, số, dấu chấm)", "agency code %q is invalid (capitals, digits, dots)", d.Agency)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		seqs := tx.Bucket(bDosSeq)
		key := []byte(d.Agency + "-" + d.ReceivedAt.Format("060102"))
		var n uint64
		if v := seqs.Get(key); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		n++
		if n > 9999 {
			return problem.Errorf(problem.EConflict, "Đã hết số hồ sơ trong ngày (9999)", "no dossier numbers left today (9999)")
		}
		if err := seqs.Put(key, u64(n)); err != nil {
			return err
		}
		d.Seq = int(n)
		d.Code = intake.Code(d.Agency, d.ReceivedAt, d.Seq)
		raw, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return tx.Bucket(bDossiers).Put([]byte(d.Code), raw)
	})
	return d, err
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

// UpdateDossier reads, changes (fn) and writes a dossier in one transaction.
func (s *Store) UpdateDossier(code string, fn func(*intake.Dossier) error) (intake.Dossier, error) {
	var d intake.Dossier
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bDossiers)
		v := b.Get([]byte(code))
		if v == nil {
			return problem.Errorf(problem.ENotFound, "Không có hồ sơ %s", "no dossier %s", code)
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
		raw, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return b.Put([]byte(code), raw)
	})
	return d, err
}

// Dossiers lists the dossiers received in [from, to), in code order.
func (s *Store) Dossiers(from, to time.Time) ([]intake.Dossier, error) {
	var out []intake.Dossier
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bDossiers).ForEach(func(k, v []byte) error {
			var d intake.Dossier
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			if !d.ReceivedAt.Before(from) && d.ReceivedAt.Before(to) {
				out = append(out, d)
			}
			return nil
		})
	})
	return out, err
}

// accessRecord is one line of the access log.
type accessRecord struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Code   string    `json:"code"`
	Action string    `json:"action"`
}

// LogAccess appends who opened which dossier and why ("view", "print mau-01", …).
func (s *Store) LogAccess(at time.Time, who, code, action string) error {
	raw, _ := json.Marshal(accessRecord{At: at, Who: who, Code: code, Action: action})
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bAccess)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(u64(n), raw)
	})
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
// It returns how many it erased.
func (s *Store) EraseDossiers(cutoff time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bDossiers)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
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
			final := d.Status == intake.Returned || d.Status == intake.Refused || d.Status == intake.Withdrawn || d.Status == intake.Incomplete
			if d.Erased || !final || !end.Before(cutoff) {
				continue
			}
			d.Erase()
			raw, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := b.Put(k, raw); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
