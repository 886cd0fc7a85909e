package kiosk

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"motcua/assets"
	"motcua/internal/catalogue"
	"motcua/internal/printout"
	"motcua/internal/testwait"
	"motcua/internal/uitest"
	"motcua/internal/vntext"
)

// The kiosk's window keeps its size on every screen, in both languages and
// both orientations, with the catalogue's longest procedure name searched,
// opened and taken: a screen that asks for more than the window makes the
// window grow, and the on-screen keys move under the citizen's finger.
func TestWindowKeepsItsSize(t *testing.T) {
	demo := uitest.DemoOffice(t)
	procs, err := catalogue.ParseJSON(assets.DemoProcedures, demo.ServiceIDs())
	if err != nil {
		t.Fatal(err)
	}
	longest := procs.Procedures[0]
	for _, p := range procs.Procedures {
		if len([]rune(p.Name)) > len([]rune(longest.Name)) {
			longest = p
		}
	}
	testOffice, testProcedures = demo, procs.Procedures
	defer func() { testOffice, testProcedures = office(), procedures() }()
	// The demo's windows, and a kiosk's screen full (where every service must
	// show without scrolling; the demo's small window may scroll them).
	for _, o := range []struct {
		name      string
		landscape bool
		size      fyne.Size
		fold      bool
	}{{"portrait window", false, fyne.NewSize(900, 1000), false}, {"landscape window", true, fyne.NewSize(1280, 800), false},
		{"portrait screen", false, fyne.NewSize(1080, 1920), true}, {"landscape screen", true, fyne.NewSize(1920, 1080), true}} {
		t.Run(o.name, func(t *testing.T) {
			r := newRig(t, printout.Folder{Dir: t.TempDir(), Format: "png"}, func(c *Config) { c.Landscape = o.landscape })
			uitest.OnUI(func() { r.w.Resize(o.size) })
			check := func(what string) {
				t.Helper()
				uitest.OnUI(func() {
					if min := r.w.Content().MinSize(); min.Width > o.size.Width || min.Height > o.size.Height {
						t.Errorf("%s: the screen asks for %.0f×%.0f, the window is %.0f×%.0f", what, min.Width, min.Height, o.size.Width, o.size.Height)
					}
					if got := r.w.Canvas().Size(); got != o.size {
						t.Errorf("%s: the window became %v", what, got)
					}
				})
			}
			r.waitProcedures()
			for _, lang := range []string{"vi", "en"} {
				check(lang + " home")
				uitest.OnUI(func() { // every service in sight: none below the fold
					if !o.fold {
						return
					}
					sc := uitest.First[*container.Scroll](r.w.Content())
					if need := sc.Content.MinSize().Height; need > sc.Size().Height+1 {
						t.Errorf("%s home: the services need %.0f px, %.0f are shown", lang, need, sc.Size().Height)
					}
				})
				uitest.OnUI(func() { r.k.ChoosePriority("") })
				check(lang + " priority")
				uitest.OnUI(func() {
					r.k.Home()
					r.k.OpenSearch()
					for _, c := range vntext.Fold(longest.Name)[:36] {
						r.k.Type(string(c))
					}
				})
				if lang == "vi" && !strings.Contains(r.buttons(), longest.Name) {
					t.Errorf("the search does not list %q: %q", longest.Name, r.buttons())
				}
				check(lang + " search")
				uitest.OnUI(func() { r.k.OpenGuide(longest.Code) })
				r.waitScreen("guide")
				check(lang + " guide")
				uitest.OnUI(func() { r.k.TakeFromGuide(true) })
				r.waitScreen("ticket")
				check(lang + " ticket")
				uitest.OnUI(func() { r.k.Home(); r.k.OpenLookup() })
				check(lang + " lookup")
				uitest.OnUI(func() { r.k.Home(); r.k.OpenStaff() })
				check(lang + " staff")
				uitest.OnUI(func() { r.k.Home(); r.k.ToggleLanguage() })
			}
		})
	}
}

// waitProcedures waits for the catalogue to reach the kiosk.
func (r *rig) waitProcedures() {
	r.t.Helper()
	testwait.Until(r.t, 10*time.Second, func() bool {
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		return len(r.k.procs) > 0
	}, func() string { return "the catalogue never reached the kiosk" })
}

func (r *rig) buttons() string {
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	return fmt.Sprint(uitest.Buttons(r.w.Content()))
}
