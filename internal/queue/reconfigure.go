package queue

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"motcua/internal/problem"
)

// Reconfigure returns the state the day goes on with under office, the same
// tickets and counters, or why the change would break the day: a service
// removed while tickets wait for it (close it first), a counter whose
// services change or that is removed while it holds a ticket, a number range
// that leaves out numbers already issued today. The receiver is not changed.
func (s *State) Reconfigure(now time.Time, office Office) (*State, error) {
	if err := office.Validate(); err != nil {
		return nil, err
	}
	next := office.WithDefaults()
	conflict := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EConflict, vi, en, args...)
	}
	kept := map[string]ServiceConfig{}
	for _, svc := range next.Services {
		kept[svc.ID] = svc
	}
	for id := range s.services {
		if _, ok := kept[id]; !ok && len(s.waiting[id]) > 0 {
			return nil, conflict("Dịch vụ %q còn %d người đang chờ hôm nay: hãy tạm ngừng cấp số hôm nay (trang Dịch vụ) và phục vụ hết trước khi xoá", "service %q still has %d people waiting today: close it for today (Services page) and serve them before removing it", id, len(s.waiting[id]))
		}
	}
	for _, t := range s.tickets {
		if _, ok := kept[t.ServiceID]; t.active() && t.State != Waiting && !ok {
			return nil, conflict("Dịch vụ %q đang có số %s tại quầy: hãy xong số đó trước khi xoá dịch vụ", "service %q has ticket %s at a counter: finish it before removing the service", t.ServiceID, t.Display)
		}
	}
	for _, svc := range next.Services {
		if last := s.lastNumber[svc.ID]; last > 0 && (last < svc.RangeStart || last > svc.RangeEnd) {
			return nil, conflict("Dịch vụ %q đã cấp đến số %d hôm nay, nằm ngoài dải số mới %d–%d", "service %q has issued up to %d today, outside the new range %d–%d", svc.ID, last, svc.RangeStart, svc.RangeEnd)
		}
	}
	newCounters := map[int]CounterConfig{}
	for _, cc := range next.Counters {
		newCounters[cc.Number] = cc
	}
	for n, c := range s.counters {
		if c.Current == "" {
			continue
		}
		cc, ok := newCounters[n]
		switch {
		case !ok:
			return nil, conflict("Quầy %d đang phục vụ một số: không xoá được lúc này", "counter %d is serving a ticket: it cannot be removed now", n)
		case !slices.Equal(cc.Services, c.Services):
			return nil, conflict("Quầy %d đang phục vụ một số: đổi dịch vụ của quầy sau khi xong số đó", "counter %d is serving a ticket: change its services once that ticket is done", n)
		}
	}
	tickets := make([]Ticket, 0, len(s.tickets))
	for _, t := range s.tickets {
		tickets = append(tickets, *t)
	}
	counters := make([]Counter, 0, len(s.counters))
	for _, c := range s.counters {
		counters = append(counters, *c)
	}
	ns, err := NewState(office, now, tickets, counters)
	if err != nil {
		return nil, err
	}
	ns.held, ns.heldFloors, ns.heldDay = s.held, s.heldFloors, s.heldDay
	for id, n := range s.lastNumber { // numbers raised above the tickets (floors) stay raised
		ns.lastNumber[id] = max(ns.lastNumber[id], n)
	}
	return ns, nil
}

// Changes lists what differs between two configurations, field by field
// ("services[1].name: "Hộ tịch" → "Hộ tịch – Chứng thực""), in a stable order:
// the record of a settings change says what it changed.
func Changes(before, after Office) []string {
	var a, b any
	ra, _ := json.Marshal(before)
	rb, _ := json.Marshal(after)
	json.Unmarshal(ra, &a)
	json.Unmarshal(rb, &b)
	var out []string
	diff("", a, b, &out)
	return out
}

func diff(path string, a, b any, out *[]string) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			p := k
			if path != "" {
				p = path + "." + k
			}
			diff(p, am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		for i := range max(len(al), len(bl)) {
			var x, y any
			if i < len(al) {
				x = al[i]
			}
			if i < len(bl) {
				y = bl[i]
			}
			diff(fmt.Sprintf("%s[%d]", path, i), x, y, out)
		}
		return
	}
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	if string(ra) != string(rb) {
		*out = append(*out, fmt.Sprintf("%s: %s → %s", path, ra, rb))
	}
}

// SettingsVersion is one version of the office's settings on the record:
// who put it in force, when, and what it was.
type SettingsVersion struct {
	Version uint64      `json:"version"`
	Time    time.Time   `json:"time"`
	By      Actor       `json:"by"`
	Office  Office      `json:"office"`
	Users   []StaffUser `json:"users,omitempty"`
	Devices []Device    `json:"devices,omitempty"` // keys as hashes only
	// Sync is where the event log ships (nil: nowhere; in an imported
	// document, leave it as it is), its password in clear: the store's and
	// the admin socket's only — pages show it masked.
	Sync *Sync `json:"sync,omitempty"`
}

// SettingsChange is a change of several parts of the settings at once, put
// in force all together or not at all; a nil part stays as it is.
type SettingsChange struct {
	Office  *Office
	Users   []StaffUser
	Devices []Device
	Sync    *Sync
}

// Shipping is the version's Sync, the zero one for none.
func (v SettingsVersion) Shipping() Sync {
	if v.Sync == nil {
		return Sync{}
	}
	return *v.Sync
}
