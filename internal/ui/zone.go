package ui

import (
	"sync"
	"time"
	_ "time/tzdata" // a kiosk PC without the zone files still shows office time
)

var zones sync.Map // name -> *time.Location

// Zone is the office's time zone by its IANA name (the snapshot's
// time_zone): every time the apps show is in it, not in the PC's own zone. An
// unknown or empty name is the PC's zone.
func Zone(name string) *time.Location {
	if name == "" {
		return time.Local
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.Local
	}
	zones.Store(name, l)
	return l
}
