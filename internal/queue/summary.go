package queue

import (
	"encoding/json"
	"slices"
)

// A closed day's tally is kept in a compact shape of its own: only the sums
// and distributions every figure is computed from (the figures themselves
// are made again by Finish), numbers in arrays rather than named fields. A
// provincial centre's year is 365 of them, read for every yearly report
// (docs/PERFORMANCE.md).

// storedDay is a day's report as stored.
type storedDay struct {
	Version  int             `json:"v"`
	Total    sums            `json:"t"`
	Services map[string]sums `json:"s,omitempty"`
	Counters map[int]sums    `json:"c,omitempty"`
	Clerks   map[string]sums `json:"k,omitempty"`
	Days     map[string]sums `json:"d,omitempty"`
	Hours    map[int]sums    `json:"h,omitempty"`
	// Channels came with remote tickets and bookings; a day stored before
	// has none, and its tickets were all taken at the office.
	Channels map[string]channelSums `json:"ch,omitempty"`
}

// channelSums is a channel's tally and its own three counts.
type channelSums struct {
	sums
	CheckedIn int `json:"i,omitempty"`
	Lapsed    int `json:"l,omitempty"`
	Punctual  int `json:"u,omitempty"`
}

// sums is a tally's counts: N in a fixed order (see counts), ratings and
// reasons, and the histograms as bucket, count, bucket, count…
type sums struct {
	N       [11]float64    `json:"n"`
	Ratings map[string]int `json:"r,omitempty"`
	Reasons map[string]int `json:"x,omitempty"`
	Wait    []int          `json:"w,omitempty"`
	Service []int          `json:"p,omitempty"`
}

func pairs(h map[int]int) []int {
	keys := make([]int, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]int, 0, 2*len(keys))
	for _, k := range keys {
		out = append(out, k, h[k])
	}
	return out
}

func unpairs(p []int) map[int]int {
	h := make(map[int]int, len(p)/2)
	for i := 0; i+1 < len(p); i += 2 {
		h[p[i]] += p[i+1]
	}
	return h
}

func sumsOf(t Tally) sums {
	return sums{N: [11]float64{float64(t.Issued), float64(t.Served), float64(t.NoShow), float64(t.Cancelled), float64(t.Expired),
		float64(t.TransferredIn), float64(t.TransferredOut), float64(t.Called), t.WaitTotalMinutes, t.ServiceTotalMinutes, t.WaitMaxMinutes},
		Ratings: t.Ratings, Reasons: t.Reasons, Wait: pairs(t.WaitHist), Service: pairs(t.ServiceHist)}
}

func (s sums) tally() Tally {
	n := s.N
	t := Tally{Issued: int(n[0]), Served: int(n[1]), NoShow: int(n[2]), Cancelled: int(n[3]), Expired: int(n[4]),
		TransferredIn: int(n[5]), TransferredOut: int(n[6]), Called: int(n[7]), WaitTotalMinutes: n[8], ServiceTotalMinutes: n[9], WaitMaxMinutes: n[10],
		Ratings: s.Ratings, Reasons: s.Reasons, WaitHist: unpairs(s.Wait), ServiceHist: unpairs(s.Service)}
	if t.Ratings == nil {
		t.Ratings = map[string]int{}
	}
	if t.Reasons == nil {
		t.Reasons = map[string]int{}
	}
	return t
}

// EncodeSummary is a finished report in the stored shape.
func EncodeSummary(r *Report) ([]byte, error) { return json.Marshal(storedOf(r)) }

// storedOf is a finished report in the stored shape.
func storedOf(r *Report) storedDay {
	s := storedDay{Version: ReportVersion, Total: sumsOf(r.Total), Services: map[string]sums{}, Counters: map[int]sums{},
		Clerks: map[string]sums{}, Days: map[string]sums{}, Hours: map[int]sums{}, Channels: map[string]channelSums{}}
	for _, g := range r.Services {
		if g.Issued > 0 || g.TransferredOut > 0 {
			s.Services[g.ID] = sumsOf(g.Tally)
		}
	}
	for _, g := range r.Counters {
		if g.Issued > 0 {
			s.Counters[g.Number] = sumsOf(g.Tally)
		}
	}
	for _, g := range r.Clerks {
		s.Clerks[g.Username] = sumsOf(g.Tally)
	}
	for _, g := range r.Days {
		s.Days[g.Day] = sumsOf(g.Tally)
	}
	for _, g := range r.Hours {
		if g.Issued > 0 {
			s.Hours[g.Hour] = sumsOf(g.Tally)
		}
	}
	for _, g := range r.Channels {
		if g.Issued > 0 {
			s.Channels[g.Channel] = channelSums{sums: sumsOf(g.Tally), CheckedIn: g.CheckedIn, Lapsed: g.Lapsed, Punctual: g.Punctual}
		}
	}
	return s
}

// DecodeSummary reads a stored day's report for Merge; ok is false for a
// shape other than this version's (the day is then tallied again).
func DecodeSummary(raw []byte) (r *Report, ok bool, err error) {
	var s storedDay
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false, err
	}
	if s.Version != ReportVersion {
		return nil, false, nil
	}
	return s.report(), true, nil
}

// Summarised is what DecodeSummary makes of EncodeSummary(r), without the
// bytes between: the stored shape's figures of a finished report.
func Summarised(r *Report) *Report { return storedOf(r).report() }

// report is the stored shape as a report to merge.
func (s storedDay) report() *Report {
	r := &Report{Version: s.Version, Total: s.Total.tally()}
	for id, x := range s.Services {
		r.Services = append(r.Services, ServiceTally{ID: id, Tally: x.tally()})
	}
	for n, x := range s.Counters {
		r.Counters = append(r.Counters, CounterTally{Number: n, Tally: x.tally()})
	}
	for u, x := range s.Clerks {
		r.Clerks = append(r.Clerks, ClerkTally{Username: u, Tally: x.tally()})
	}
	for d, x := range s.Days {
		r.Days = append(r.Days, DayTally{Day: d, Tally: x.tally()})
	}
	for h, x := range s.Hours {
		r.Hours = append(r.Hours, HourTally{Hour: h, Tally: x.tally()})
	}
	if s.Channels == nil { // stored before there were other channels
		r.Channels = append(r.Channels, ChannelTally{Channel: WalkIn, Tally: s.Total.tally()})
	}
	for c, x := range s.Channels {
		r.Channels = append(r.Channels, ChannelTally{Channel: c, Tally: x.tally(), CheckedIn: x.CheckedIn, Lapsed: x.Lapsed, Punctual: x.Punctual})
	}
	return r
}
