package bolt

import (
	"context"
	"fmt"
	"slices"

	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Each part of the settings is read from the version in force and changed
// through change: one job of the writer, a new version and its event.

// ChangeSettings puts office in force from now on, as the next version of
// the settings, by the single writer: checked like the config file
// (problem.EInvalid), refused when it would break the day
// (problem.EConflict), or when base is not the version in force (someone
// changed them meanwhile; base 0 skips that check). The day's tickets and
// counters go on under it; the feed gets a settings.changed event.
func (s *Store) ChangeSettings(ctx context.Context, by queue.Actor, base uint64, office queue.Office) (uint64, error) {
	return s.change(by, base, editOffice(office))
}

// editOffice puts office in force: the day reconfigured, the catalogue
// still fitting its services.
func editOffice(office queue.Office) func(next *swap) ([]string, error) {
	return func(next *swap) ([]string, error) {
		ns, err := next.state.Reconfigure(next.now, office)
		if err != nil {
			return nil, err
		}
		if next.procedures != nil {
			if err := (catalogue.Catalogue{Procedures: next.procedures}).Validate(office.ServiceIDs()); err != nil {
				e := problem.As(err)
				return nil, &problem.Error{Code: problem.EConflict, Message: "Danh mục thủ tục còn dùng dịch vụ này — sửa danh mục trước. " + e.Message,
					MessageEN: "the procedure catalogue still uses it — change the catalogue first. " + e.MessageEN}
			}
		}
		changes := queue.Changes(next.office, office)
		next.state, next.office = ns, office
		return changes, nil
	}
}

// ChangeAll puts several parts of the settings in force in one change of
// the store: all of them, or, when any part is refused, none.
func (s *Store) ChangeAll(ctx context.Context, by queue.Actor, base uint64, c queue.SettingsChange) (uint64, error) {
	var edits []func(next *swap) ([]string, error)
	if c.Office != nil {
		edits = append(edits, editOffice(*c.Office))
	}
	if c.Users != nil {
		edits = append(edits, editUsers(c.Users))
	}
	if c.Devices != nil {
		edits = append(edits, editDevices(c.Devices))
	}
	if c.Sync != nil {
		edits = append(edits, editSync(*c.Sync))
	}
	return s.change(by, base, func(next *swap) ([]string, error) {
		var all []string
		for _, edit := range edits {
			changes, err := edit(next)
			if err != nil {
				return nil, err
			}
			all = append(all, changes...)
		}
		return all, nil
	})
}

// Devices returns the devices in force, their keys as hashes (nil when the
// store has none: it was made before they were kept in it).
func (s *Store) Devices() []queue.Device {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.devices
}

// ChangeDevices puts devices in force as the next version of the settings,
// like ChangeUsers; a key given in clear is kept as its hash.
func (s *Store) ChangeDevices(ctx context.Context, by queue.Actor, base uint64, devices []queue.Device) (uint64, error) {
	return s.change(by, base, editDevices(devices))
}

func editDevices(devices []queue.Device) func(next *swap) ([]string, error) {
	devices = queue.HashedDevices(devices)
	return func(next *swap) ([]string, error) {
		if err := queue.ValidateDevices(devices, next.office); err != nil {
			return nil, err
		}
		changes := queue.DeviceChanges(next.devices, devices)
		next.devices = devices
		return changes, nil
	}
}

// Users returns the office's staff in force (nil when the store has none:
// it was made before they were kept in it, or without any).
func (s *Store) Users() []queue.StaffUser {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.users
}

// ChangeUsers puts users in force as the next version of the settings, like
// ChangeSettings: checked (problem.EInvalid), refused when base is not the
// version in force, on the chain with what changed (a PIN only as changed).
func (s *Store) ChangeUsers(ctx context.Context, by queue.Actor, base uint64, users []queue.StaffUser) (uint64, error) {
	return s.change(by, base, editUsers(users))
}

func editUsers(users []queue.StaffUser) func(next *swap) ([]string, error) {
	return func(next *swap) ([]string, error) {
		if err := queue.ValidateStaff(users); err != nil {
			return nil, err
		}
		changes := queue.StaffChanges(next.users, users)
		next.users = users
		return changes, nil
	}
}

// SetPIN gives the user username the PIN whose bcrypt hash is hash, and ends
// a one-time code (MustSetPIN): the user chose it at login. Whatever else
// changed meanwhile stays (no base version: it touches one user's PIN).
func (s *Store) SetPIN(ctx context.Context, by queue.Actor, username, hash string) (uint64, error) {
	return s.change(by, 0, func(next *swap) ([]string, error) {
		i := slices.IndexFunc(next.users, func(u queue.StaffUser) bool { return u.Username == username && !u.Disabled })
		if i < 0 {
			return nil, problem.Errorf(problem.ENotFound, "Không có cán bộ %q", "no user %q", username)
		}
		users := slices.Clone(next.users)
		users[i].PINHash, users[i].MustSetPIN = hash, false
		changes := queue.StaffChanges(next.users, users)
		next.users = users
		return changes, nil
	})
}

// Sync returns where the event log ships, the password in clear (the
// replicator's; pages show Masked).
func (s *Store) Sync() queue.Sync {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sync
}

// ChangeSync puts where the event log ships in force as the next version of
// the settings; a masked password is the one in force (queue.Sync.Keep).
// The replicator follows it within a second.
func (s *Store) ChangeSync(ctx context.Context, by queue.Actor, base uint64, sync queue.Sync) (uint64, error) {
	return s.change(by, base, editSync(sync))
}

func editSync(sync queue.Sync) func(next *swap) ([]string, error) {
	return func(next *swap) ([]string, error) {
		sync, err := sync.Keep(next.sync)
		if err == nil {
			err = sync.Validate()
		}
		if err != nil {
			return nil, err
		}
		changes := queue.SyncChanges(next.sync, sync)
		next.sync = sync
		return changes, nil
	}
}

// Procedures returns the procedure catalogue in force (nil when the store
// has none: one made before it kept it).
func (s *Store) Procedures() []catalogue.Procedure {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.procedures
}

// ChangeCatalogue puts a procedure catalogue in force as the next version
// of the settings, checked against the office's services.
func (s *Store) ChangeCatalogue(ctx context.Context, by queue.Actor, base uint64, c catalogue.Catalogue) (uint64, error) {
	procedures := c.Procedures
	if procedures == nil {
		procedures = []catalogue.Procedure{}
	}
	return s.change(by, base, func(next *swap) ([]string, error) {
		if err := (catalogue.Catalogue{Procedures: procedures}).Validate(next.office.ServiceIDs()); err != nil {
			return nil, err
		}
		added, changed, removed := catalogue.Diff(catalogue.Catalogue{Procedures: next.procedures}, catalogue.Catalogue{Procedures: procedures})
		var out []string
		for _, list := range []struct {
			what  string
			codes []string
		}{{"thêm / added", added}, {"sửa / changed", changed}, {"bỏ / removed", removed}} {
			for _, c := range list.codes {
				out = append(out, "procedures["+c+"]: "+list.what)
			}
		}
		next.procedures = procedures
		return out, nil
	})
}

// CalendarYears returns the working calendar's years in force (nil when the
// store has none: one made before it kept them).
func (s *Store) CalendarYears() []calendar.Year {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.calendar
}

// ChangeCalendar puts the calendar's years in force as the next version of
// the settings, each checked as a year's file is.
func (s *Store) ChangeCalendar(ctx context.Context, by queue.Actor, base uint64, years []calendar.Year) (uint64, error) {
	if err := calendar.CheckYears(years); err != nil {
		return 0, err
	}
	return s.change(by, base, func(next *swap) ([]string, error) {
		before := map[string]calendar.Entry{}
		for _, y := range next.calendar {
			for _, e := range y.Entries {
				before[e.Date] = e
			}
		}
		var out []string
		after := map[string]bool{}
		for _, y := range years {
			for _, e := range y.Entries {
				after[e.Date] = true
				if was, ok := before[e.Date]; !ok || was != e {
					out = append(out, fmt.Sprintf("calendar[%s]: %s %q", e.Date, e.Kind, e.Name))
				}
			}
		}
		for date := range before {
			if !after[date] {
				out = append(out, fmt.Sprintf("calendar[%s]: bỏ / removed", date))
			}
		}
		slices.Sort(out)
		next.calendar = years
		return out, nil
	})
}
