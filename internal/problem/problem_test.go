package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestAsAndCodeOf(t *testing.T) {
	inner := Invalidf("Số %d sai", "number %d is wrong", 7)
	wrapped := fmt.Errorf("issue: %w", inner)
	cases := []struct {
		err      error
		code, vi string
	}{
		{nil, "", ""},
		{wrapped, EInvalid, "Số 7 sai"},
		{Errorf(ENotFound, "Không có", "none"), ENotFound, "Không có"},
		{errors.New("disk on fire"), EInternal, "Lỗi hệ thống, vui lòng thử lại hoặc báo cán bộ kỹ thuật"},
	}
	for _, c := range cases {
		if got := CodeOf(c.err); got != c.code {
			t.Errorf("CodeOf(%v) = %q, want %q", c.err, got, c.code)
		}
		if c.err == nil {
			continue
		}
		if got := As(c.err).Message; got != c.vi {
			t.Errorf("As(%v).Message = %q, want %q", c.err, got, c.vi)
		}
	}
	if got, want := inner.Error(), "invalid: Số 7 sai (number 7 is wrong)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
