package catalogue_test

import (
	"encoding/json"
	"testing"

	"motcua/assets"
	"motcua/internal/catalogue"
)

// The shipped sample must load against the demo office it is shipped with, and
// cover every one of its services.
func TestDemoCatalogue(t *testing.T) {
	var demo struct {
		Office struct {
			Services []struct {
				ID string `json:"id"`
			} `json:"services"`
		} `json:"office"`
	}
	if err := json.Unmarshal(assets.DemoOffice, &demo); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range demo.Office.Services {
		ids = append(ids, s.ID)
	}
	c, err := catalogue.ParseJSON(assets.DemoProcedures, ids)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, p := range c.Procedures {
		covered[p.Service] = true
	}
	for _, id := range ids {
		if !covered[id] {
			t.Errorf("service %s has no procedure in the sample catalogue", id)
		}
	}
}
