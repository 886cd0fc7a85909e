package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// sample is a set of latencies.
type sample []time.Duration

// p is the q-th percentile (nearest rank).
func (s sample) p(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	i := int(float64(len(c))*q/100+0.5) - 1
	return c[min(max(i, 0), len(c)-1)]
}

// fsyncFloor times a small write plus fsync: the least a durable commit costs.
func fsyncFloor(dir string, n int) (sample, error) {
	f, err := os.Create(filepath.Join(dir, "fsync-floor"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 256)
	out := make(sample, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := f.WriteAt(buf, int64(i%16)*4096); err != nil {
			return nil, err
		}
		if err := f.Sync(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// lastArrival waits until n receipt times arrived on got and returns the latest.
func lastArrival(got <-chan time.Time, n int, what string) (time.Time, error) {
	var last time.Time
	for range n {
		select {
		case t := <-got:
			last = t
		case <-time.After(10 * time.Second):
			return last, fmt.Errorf("%s: a client missed a frame", what)
		}
	}
	return last, nil
}
