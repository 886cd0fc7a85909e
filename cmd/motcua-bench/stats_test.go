package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var s sample
	for i := 100; i >= 1; i-- {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {1, time.Millisecond}} {
		if got := s.p(tc.q); got != tc.want {
			t.Errorf("p%.0f = %v, want %v", tc.q, got, tc.want)
		}
	}
	if s[0] != 100*time.Millisecond {
		t.Error("p sorted the sample in place")
	}
	if (sample{}).p(50) != 0 {
		t.Error("empty sample")
	}
}
