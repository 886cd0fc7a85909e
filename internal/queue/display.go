package queue

import (
	"strings"

	"motcua/internal/problem"
)

// DisplayConfig is how the waiting room is told of calls: the spoken sentence
// and its number words, and what the boards show besides the calls.
type DisplayConfig struct {
	// Template is the spoken call; {number} and {counter} are read as words.
	// Default: "Mời công dân có số thứ tự {number} đến quầy số {counter}".
	Template string `json:"template,omitempty"`
	// Thousand is "nghìn" (default) or "ngàn"; ZeroTens "linh" (default) or "lẻ";
	// NoTu reads 24 as "hai mươi bốn" instead of "hai mươi tư".
	Thousand string `json:"thousand,omitempty"`
	ZeroTens string `json:"zero_tens,omitempty"`
	NoTu     bool   `json:"no_tu,omitempty"`
	// LastCalls is how many recent calls a board lists (default 6).
	LastCalls int `json:"last_calls,omitempty"`
	// Ticker is the line that scrolls along the bottom of the boards.
	Ticker string `json:"ticker,omitempty"`
}

func (d DisplayConfig) withDefaults() DisplayConfig {
	if d.LastCalls <= 0 {
		d.LastCalls = 6
	}
	return d
}

func (d DisplayConfig) validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình màn hình: "+vi, "display config: "+en, args...)
	}
	if d.Thousand != "" && d.Thousand != "nghìn" && d.Thousand != "ngàn" {
		return bad("thousand %q; dùng nghìn hoặc ngàn", "thousand %q; use nghìn or ngàn", d.Thousand)
	}
	if d.ZeroTens != "" && d.ZeroTens != "linh" && d.ZeroTens != "lẻ" {
		return bad("zero_tens %q; dùng linh hoặc lẻ", "zero_tens %q; use linh or lẻ", d.ZeroTens)
	}
	if d.Template != "" && (!strings.Contains(d.Template, "{number}") || !strings.Contains(d.Template, "{counter}")) {
		return bad("template phải có {number} và {counter}", "template must contain {number} and {counter}")
	}
	if d.LastCalls > 20 {
		return bad("last_calls tối đa 20", "last_calls is at most 20")
	}
	return nil
}
