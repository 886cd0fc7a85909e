package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/intake"
)

// The dossiers' day tallies (days/<YYYYMMDD>/dossiers: group -> intake.Flows),
// kept by the writer with every dossier it stores: the dossier's old flows
// taken back, its new ones added. Reports sum them instead of reading every
// dossier (intake.Sum gives what intake.Tally counts).

var (
	kDossierFlows = []byte("dossiers")      // in a day's bucket
	kFlowsBuilt   = []byte("dossier_flows") // in meta: the tallies exist
)

// flowDossier corrects the day tallies for d replacing old (nil: new).
func (w *txWriter) flowDossier(old *intake.Dossier, d intake.Dossier) error {
	loc, err := w.s.office.Location()
	if err != nil {
		return err
	}
	touched := w.batch // day (YYYY-MM-DD) -> group -> flows
	if touched == nil {
		touched = map[string]map[string]*intake.Flows{}
	}
	load := func(day string) (map[string]*intake.Flows, error) {
		if g, ok := touched[day]; ok {
			return g, nil
		}
		g := map[string]*intake.Flows{}
		if b := w.tx.Bucket(bDays).Bucket([]byte(dayKey(day))); b != nil {
			if raw := b.Get(kDossierFlows); raw != nil {
				if err := json.Unmarshal(raw, &g); err != nil {
					return nil, fmt.Errorf("dossier tallies of %s: %w", day, err)
				}
			}
		}
		touched[day] = g
		return g, nil
	}
	apply := func(dd intake.Dossier, sign int) error {
		for day, f := range intake.FlowsOf(dd, loc) {
			g, err := load(day)
			if err != nil {
				return err
			}
			for _, group := range intake.Groups(dd) {
				if g[group] == nil {
					g[group] = &intake.Flows{}
				}
				g[group].Add(f, sign)
				if isEmpty(g[group]) {
					delete(g, group)
				}
			}
		}
		return nil
	}
	if old != nil {
		if err := apply(*old, -1); err != nil {
			return err
		}
	}
	if err := apply(d, 1); err != nil {
		return err
	}
	if w.batch != nil {
		return nil // written at the job's end
	}
	return w.writeFlows(touched)
}

// writeFlows stores the day tallies touched.
func (w *txWriter) writeFlows(touched map[string]map[string]*intake.Flows) error {
	for day, g := range touched {
		b, err := w.tx.Bucket(bDays).CreateBucketIfNotExists([]byte(dayKey(day)))
		if err != nil {
			return err
		}
		raw, err := json.Marshal(g)
		if err != nil {
			return err
		}
		if err := b.Put(kDossierFlows, raw); err != nil {
			return err
		}
	}
	return nil
}

func isEmpty(f *intake.Flows) bool {
	return f.Received == 0 && f.ByPost == 0 && f.Resolved == 0 && f.Early == 0 && f.OnTime == 0 && f.Late == 0 && f.Ind1 == 0 && f.Ind3 == 0 &&
		f.Supplements == 0 && f.Apologies == 0 && f.Withdrawn == 0 && f.Closed == 0 && len(f.Due) == 0 && len(f.Status) == 0
}

// dayKey is a days/ bucket's name for a YYYY-MM-DD day.
func dayKey(day string) string { return day[:4] + day[5:7] + day[8:10] }

// DossierFlows are the dossiers' day tallies of the days before to, by
// group ("" all, "c:"+clerk, "p:"+procedure) and day (YYYY-MM-DD), read
// on every core.
func (s *Store) DossierFlows(to time.Time) (map[string]map[string]*intake.Flows, error) {
	loc, err := s.office.Location()
	if err != nil {
		return nil, err
	}
	end := to.In(loc).Format("20060102")
	type day struct {
		name string
		raw  []byte
	}
	var days []day
	out := map[string]map[string]*intake.Flows{}
	err = s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bDays).Cursor()
		for k, _ := c.First(); k != nil && string(k) < end; k, _ = c.Next() {
			if raw := tx.Bucket(bDays).Bucket(k).Get(kDossierFlows); raw != nil && len(k) == 8 {
				days = append(days, day{string(k[:4]) + "-" + string(k[4:6]) + "-" + string(k[6:8]), raw})
			}
		}
		workers := cores()
		parts := make([]map[string]map[string]*intake.Flows, workers)
		for wk := range parts {
			parts[wk] = map[string]map[string]*intake.Flows{}
		}
		if err := onCores(workers, len(days), func(wk, i int) error {
			var g map[string]*intake.Flows
			if err := json.Unmarshal(days[i].raw, &g); err != nil {
				return err
			}
			for group, f := range g {
				if parts[wk][group] == nil {
					parts[wk][group] = map[string]*intake.Flows{}
				}
				parts[wk][group][days[i].name] = f
			}
			return nil
		}); err != nil {
			return err
		}
		for wk := range workers {
			for group, byDay := range parts[wk] {
				if out[group] == nil {
					out[group] = map[string]*intake.Flows{}
				}
				for d, f := range byDay {
					out[group][d] = f
				}
			}
		}
		return nil
	})
	return out, err
}
