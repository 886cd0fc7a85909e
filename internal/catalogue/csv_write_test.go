package catalogue

import (
	"encoding/json"
	"testing"

	"motcua/assets"
)

// The catalogue written as CSV reads back the same, and Diff names what an
// edit added, changed and removed.
func TestCSVRoundTripAndDiff(t *testing.T) {
	var demo struct {
		Office struct {
			Services []struct{ ID string } `json:"services"`
		} `json:"office"`
	}
	json.Unmarshal(assets.DemoOffice, &demo)
	var services []string
	for _, s := range demo.Office.Services {
		services = append(services, s.ID)
	}
	c, err := ParseJSON(assets.DemoProcedures, services)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCSV(c.CSV(), services)
	if err != nil {
		t.Fatalf("the written CSV does not read back: %v", err)
	}
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Fatalf("the round trip changed the catalogue:\n%s\n%s", a, b)
	}
	edited := Catalogue{Procedures: append([]Procedure(nil), back.Procedures[1:]...)}
	edited.Procedures[0].Name += " (sửa)"
	edited.Procedures = append(edited.Procedures, Procedure{Code: "9.999999", Name: "Thủ tục mới"})
	added, changed, removed := Diff(c, edited)
	if len(added) != 1 || len(changed) != 1 || len(removed) != 1 {
		t.Errorf("diff: +%v ~%v -%v", added, changed, removed)
	}
}
