package queue

import (
	"iter"
	"time"
)

// pick chooses the next ticket for counter c and updates its priority streak.
//
// The rule, over every waiting ticket of the counter's services:
//  1. an ordinary ticket that has waited MaxWaitMinutes or more goes first, unless a
//     priority ticket has waited even longer;
//  2. otherwise a priority ticket — or a booked one whose slot has come —
//     goes first, but after PriorityRatio such calls in a row while ordinary
//     tickets waited, one ordinary ticket is called;
//  3. within each group, the longest waiting first (queue time, then the counter's
//     service order, then number).
func (s *State) pick(c *Counter, now time.Time) *Ticket {
	return chooseNext(c, s.office.Rules, now, func(yield func(*Ticket) bool) {
		for _, svc := range c.Services {
			for _, t := range s.waiting[svc] {
				if !yield(t) {
					return
				}
			}
		}
	})
}

// chooseNext applies the rule to the waiting tickets of c's services and updates
// c's priority streak. The server's call and the counter app's preview of the
// order (Snapshot.CallOrder) both come from here.
func chooseNext(c *Counter, rules Rules, now time.Time, waiting iter.Seq[*Ticket]) *Ticket {
	var pri, ord *Ticket
	for t := range waiting {
		if t.Away { // a remote ticket's citizen not here yet: passed over, keeps its place
			continue
		}
		if t.dueAhead(now) {
			if before(c, t, pri, now) {
				pri = t
			}
		} else if before(c, t, ord, now) {
			ord = t
		}
	}
	maxWait := time.Duration(rules.MaxWaitMinutes) * time.Minute
	var chosen *Ticket
	switch {
	case ord != nil && now.Sub(ord.QueuedAt) >= maxWait && (pri == nil || !pri.placeAt(now).Before(ord.QueuedAt)):
		chosen = ord
	case pri != nil && (ord == nil || c.PriorityStreak < rules.PriorityRatio):
		chosen = pri
	case ord != nil:
		chosen = ord
	}
	switch {
	case chosen == nil:
	case chosen.dueAhead(now) && ord != nil:
		c.PriorityStreak++
	default:
		c.PriorityStreak = 0
	}
	return chosen
}

// before reports whether a should be called before b (nil b: always) at now.
func before(c *Counter, a, b *Ticket, now time.Time) bool {
	if b == nil {
		return true
	}
	if pa, pb := a.placeAt(now), b.placeAt(now); !pa.Equal(pb) {
		return pa.Before(pb)
	}
	ia, ib := serviceIndex(c, a.ServiceID), serviceIndex(c, b.ServiceID)
	if ia != ib {
		return ia < ib
	}
	return a.Number < b.Number
}

func serviceIndex(c *Counter, id string) int {
	for i, s := range c.Services {
		if s == id {
			return i
		}
	}
	return len(c.Services)
}
