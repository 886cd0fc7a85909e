package catalogue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"motcua/internal/csvsafe"
)

// CSV writes the catalogue in the form ParseCSV reads (CSVHeader first), so
// an office can download it, edit it in a spreadsheet and upload it again.
func (c Catalogue) CSV() []byte {
	var b bytes.Buffer
	w := csvsafe.NewWriter(&b)
	w.Write(CSVHeader)
	for _, p := range c.Procedures {
		processing := p.Processing.Unit
		if p.Processing.Unit != SameDay {
			processing = strconv.Itoa(p.Processing.Amount) + " " + p.Processing.Unit
		}
		if p.Processing.CutOff != "" {
			processing += " after " + p.Processing.CutOff
		}
		var fees, docs []string
		for _, f := range p.Fees {
			fee := fmt.Sprintf("%s=%d", f.Name, f.Amount)
			if f.Note != "" {
				fee += " (" + f.Note + ")"
			}
			fees = append(fees, fee)
		}
		for _, d := range p.Documents {
			doc := fmt.Sprintf("%s|%d", d.Name, d.Quantity)
			if d.Kind != "" || d.Optional {
				doc += "|" + d.Kind
			}
			if d.Optional {
				doc += "|optional"
			}
			docs = append(docs, doc)
		}
		w.Write([]string{p.Code, p.Name, p.NameEN, p.Field, p.Service, processing, strings.Join(fees, "; "), strings.Join(docs, "; "), p.Agency, p.Online})
	}
	w.Flush()
	return b.Bytes()
}

// Diff says which procedures, by code, after adds, changes and removes
// from before.
func Diff(before, after Catalogue) (added, changed, removed []string) {
	old := map[string]string{}
	for _, p := range before.Procedures {
		raw, _ := json.Marshal(p)
		old[p.Code] = string(raw)
	}
	seen := map[string]bool{}
	for _, p := range after.Procedures {
		seen[p.Code] = true
		raw, _ := json.Marshal(p)
		switch was, ok := old[p.Code]; {
		case !ok:
			added = append(added, p.Code+" "+p.Name)
		case was != string(raw):
			changed = append(changed, p.Code+" "+p.Name)
		}
	}
	for _, p := range before.Procedures {
		if !seen[p.Code] {
			removed = append(removed, p.Code+" "+p.Name)
		}
	}
	return added, changed, removed
}
