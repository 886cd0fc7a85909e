package queue

import (
	"strings"
	"testing"
)

// The scan settings and the forms' wording are checked with the rest of
// the office's settings, in both languages.
func TestScanAndWordingSettings(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Office)
		want string
	}{
		{"defaults", func(o *Office) {}, ""},
		{"a good scan setting", func(o *Office) { o.Scan = ScanConfig{DPI: 300, Mode: "color", Quality: 80} }, ""},
		{"dpi too low", func(o *Office) { o.Scan.DPI = 50 }, "dpi"},
		{"an unknown mode", func(o *Office) { o.Scan.Mode = "sepia" }, "mode"},
		{"quality too high", func(o *Office) { o.Scan.Quality = 100 }, "quality"},
		{"the office's wording", func(o *Office) { o.FormWording = map[string]string{"01.title": "GIẤY BIÊN NHẬN"} }, ""},
		{"an unknown form entry", func(o *Office) { o.FormWording = map[string]string{"09.title": "X"} }, "form_wording"},
	} {
		o := testOffice()
		c.set(&o)
		err := o.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if d := testOffice().WithDefaults().Scan; d != (ScanConfig{DPI: 200, Mode: "gray", Quality: 60}) {
		t.Errorf("defaults %+v", d)
	}
}
