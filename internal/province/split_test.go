package province

import (
	"fmt"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct{ first, last, want string }{
		{"20260701", "20260930", "[202607 202608 202609] []"},
		{"20260715", "20261003", "[202608 202609] [[20260715 20260731] [20261001 20261003]]"},
		{"20260702", "20260705", "[] [[20260702 20260705]]"},
		{"20260201", "20260228", "[202602] []"},
		{"20261201", "20261215", "[] [[20261201 20261215]]"},
		{"20260301", "20260229", "[] [[20260301 20260229]]"}, // backwards: left to the query, which finds nothing
	} {
		months, ranges := split(c.first, c.last)
		if got := fmt.Sprint(months, ranges); got != c.want {
			t.Errorf("split(%s, %s) = %s, want %s", c.first, c.last, got, c.want)
		}
	}
}
