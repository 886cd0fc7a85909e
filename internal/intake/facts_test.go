package intake

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The province counts a dossier from its facts on the event log: the same
// flows as from the record, and none of the applicant's details, notes or
// reasons in them.
func TestFactsCountAsTheRecord(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, loc) }
	d := Dossier{Code: "000.00.01.H01-260302-0001", Procedure: "1.001", ProcedureName: "Khai sinh", Service: "ho_tich",
		Applicant: Applicant{Name: "Nguyễn Thị Bình", Phone: "0912345678", Address: "12 Lê Lợi", IDNumber: "001190012345"},
		Clerk:     "lan", ClerkName: "Trần Thị Lan", Counter: 2, Status: Ready, Delivery: "post", LookupPIN: "482913",
		Reason: "bà Bình xin rút", ReceivedAt: at(2, 9), DueAt: at(9, 17), ReadyAt: at(10, 10),
		Apology: &Apology{At: at(8, 15), NewDue: at(9, 17), Reason: "chờ xác minh của ông Hùng", By: "lan"},
		History: []Change{{At: at(2, 9), By: "lan", To: Received}, {At: at(3, 9), By: "lan", From: Received, To: Supplement, Note: "thiếu giấy của chị Mai"},
			{At: at(4, 9), By: "lan", From: Supplement, To: Processing}, {At: at(10, 10), By: "lan", From: Processing, To: Ready}}}
	back := FromFacts(d.Code, *d.Facts())
	if got, want := FlowsOf(back, loc), FlowsOf(d, loc); !reflect.DeepEqual(got, want) {
		t.Fatalf("flows from the facts %+v, from the record %+v", got, want)
	}
	if got, want := Groups(back), Groups(d); !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	raw, _ := json.Marshal(d.Facts())
	for _, secret := range []string{"Bình", "0912345678", "Lê Lợi", "001190012345", "482913", "Hùng", "Mai", "Trần Thị Lan", "rút"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the facts carry %q: %s", secret, raw)
		}
	}
}
