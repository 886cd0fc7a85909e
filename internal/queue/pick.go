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
//  2. otherwise a priority ticket goes first, but after PriorityRatio priority calls
//     in a row while ordinary tickets waited, one ordinary ticket is called;
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
		if t.Priority != "" {
			if before(c, t, pri) {
				pri = t
			}
		} else if before(c, t, ord) {
			ord = t
		}
	}
	maxWait := time.Duration(rules.MaxWaitMinutes) * time.Minute
	var chosen *Ticket
	switch {
	case ord != nil && now.Sub(ord.QueuedAt) >= maxWait && (pri == nil || !pri.QueuedAt.Before(ord.QueuedAt)):
		chosen = ord
	case pri != nil && (ord == nil || c.PriorityStreak < rules.PriorityRatio):
		chosen = pri
	case ord != nil:
		chosen = ord
	}
	switch {
	case chosen == nil:
	case chosen.Priority != "" && ord != nil:
		c.PriorityStreak++
	default:
		c.PriorityStreak = 0
	}
	return chosen
}

// before reports whether a should be called before b (nil b: always).
func before(c *Counter, a, b *Ticket) bool {
	if b == nil {
		return true
	}
	if !a.QueuedAt.Equal(b.QueuedAt) {
		return a.QueuedAt.Before(b.QueuedAt)
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
