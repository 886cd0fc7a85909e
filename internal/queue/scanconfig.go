package queue

import "motcua/internal/problem"

// ScanConfig is how the counters scan papers into dossiers (số hóa,
// docs/SCANNING.md): the resolution, colour or grey, and the JPEG quality
// of each page inside the PDF. Together they set the disk a year of scans
// takes; the defaults (200 dpi, grey, quality 60) keep an A4 page of text
// legible at about 150–250 KB.
type ScanConfig struct {
	DPI     int    `json:"dpi,omitempty"`     // 100–600, default 200
	Mode    string `json:"mode,omitempty"`    // "gray" (default) or "color"
	Quality int    `json:"quality,omitempty"` // JPEG quality 20–95, default 60
}

// ScanSettings are the office's scan settings with the defaults filled in.
func (o Office) ScanSettings() ScanConfig { return o.Scan.withDefaults() }

func (c ScanConfig) withDefaults() ScanConfig {
	if c.DPI == 0 {
		c.DPI = 200
	}
	if c.Mode == "" {
		c.Mode = "gray"
	}
	if c.Quality == 0 {
		c.Quality = 60
	}
	return c
}

func (c ScanConfig) validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình quét hồ sơ (scan): "+vi, "scan config: "+en, args...)
	}
	switch {
	case c.DPI != 0 && (c.DPI < 100 || c.DPI > 600):
		return bad("độ phân giải (dpi) phải từ 100 đến 600, không phải %d", "dpi must be 100 to 600, not %d", c.DPI)
	case c.Mode != "" && c.Mode != "gray" && c.Mode != "color":
		return bad("chế độ màu (mode) là gray hoặc color, không phải %q", "mode is gray or color, not %q", c.Mode)
	case c.Quality != 0 && (c.Quality < 20 || c.Quality > 95):
		return bad("chất lượng nén (quality) phải từ 20 đến 95, không phải %d", "quality must be 20 to 95, not %d", c.Quality)
	}
	return nil
}
