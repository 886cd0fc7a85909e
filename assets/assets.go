// Package assets embeds the files motcua ships: the demo office, the example
// office config, the procedure catalogue sample, the year calendars and the
// Noto Sans font (OFL, fonts/OFL.txt) that tickets and forms are drawn with.
package assets

import "embed"

// DemoOffice is the sample ward centre that --demo seeds: 5 services, 6 counters,
// clerks quay1…quay6 and admin with PIN 1234, kiosk device key demo-device.
//
//go:embed demo-office.json
var DemoOffice []byte

// ExampleOffice is a documented starting point for a real office's config.
//
//go:embed office.example.json
var ExampleOffice []byte

// DemoProcedures is the demo office's procedure catalogue: the common procedures
// of its services with documents, fees and processing times. Sample data: an
// office checks it against its province's published list before use.
//
//go:embed procedures.json
var DemoProcedures []byte

// Calendars are the national holidays, substitute days off and make-up working
// days of each year (internal/calendar), as files "calendar/vn-YYYY.json".
//
//go:embed calendar
var Calendars embed.FS

// Noto Sans, the font of printed tickets and forms (fonts/README.md).
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
	//go:embed fonts/NotoSans-Italic.ttf
	FontItalic []byte
)
