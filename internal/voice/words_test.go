package voice

import (
	"strings"
	"testing"
)

func TestNumberWords(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "không"}, {1, "một"}, {4, "bốn"}, {5, "năm"}, {9, "chín"},
		{10, "mười"}, {11, "mười một"}, {14, "mười bốn"}, {15, "mười lăm"}, {19, "mười chín"},
		{20, "hai mươi"}, {21, "hai mươi mốt"}, {24, "hai mươi tư"}, {25, "hai mươi lăm"}, {27, "hai mươi bảy"},
		{30, "ba mươi"}, {31, "ba mươi mốt"}, {44, "bốn mươi tư"}, {45, "bốn mươi lăm"}, {55, "năm mươi lăm"},
		{71, "bảy mươi mốt"}, {99, "chín mươi chín"},
		{100, "một trăm"}, {101, "một trăm linh một"}, {104, "một trăm linh bốn"}, {105, "một trăm linh năm"},
		{110, "một trăm mười"}, {111, "một trăm mười một"}, {115, "một trăm mười lăm"}, {121, "một trăm hai mươi mốt"},
		{124, "một trăm hai mươi tư"}, {125, "một trăm hai mươi lăm"}, {200, "hai trăm"}, {205, "hai trăm linh năm"},
		{250, "hai trăm năm mươi"}, {505, "năm trăm linh năm"}, {555, "năm trăm năm mươi lăm"}, {999, "chín trăm chín mươi chín"},
		{1000, "một nghìn"}, {1001, "một nghìn không trăm linh một"}, {1005, "một nghìn không trăm linh năm"},
		{1010, "một nghìn không trăm mười"}, {1011, "một nghìn không trăm mười một"}, {1015, "một nghìn không trăm mười lăm"},
		{1021, "một nghìn không trăm hai mươi mốt"}, {1023, "một nghìn không trăm hai mươi ba"},
		{1024, "một nghìn không trăm hai mươi tư"}, {1025, "một nghìn không trăm hai mươi lăm"},
		{1100, "một nghìn một trăm"}, {1101, "một nghìn một trăm linh một"}, {1105, "một nghìn một trăm linh năm"},
		{1111, "một nghìn một trăm mười một"}, {1500, "một nghìn năm trăm"}, {1999, "một nghìn chín trăm chín mươi chín"},
		{2000, "hai nghìn"}, {2001, "hai nghìn không trăm linh một"}, {2021, "hai nghìn không trăm hai mươi mốt"},
		{2345, "hai nghìn ba trăm bốn mươi lăm"}, {5005, "năm nghìn không trăm linh năm"}, {5015, "năm nghìn không trăm mười lăm"},
		{9999, "chín nghìn chín trăm chín mươi chín"}, {10000, "mười nghìn"}, {15000, "mười lăm nghìn"},
		{21000, "hai mươi mốt nghìn"}, {100005, "một trăm nghìn không trăm linh năm"},
		{1000000, "một triệu"}, {1000001, "một triệu không trăm linh một"},
	} {
		if got := strings.Join(NumberWords(tc.n, Style{}), " "); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestNumberWordsSouth(t *testing.T) {
	south := Style{Thousand: "ngàn", ZeroTens: "lẻ", NoTu: true}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{105, "một trăm lẻ năm"}, {1005, "một ngàn không trăm lẻ năm"}, {24, "hai mươi bốn"}, {1024, "một ngàn không trăm hai mươi bốn"},
		{14, "mười bốn"}, {21, "hai mươi mốt"},
	} {
		if got := strings.Join(NumberWords(tc.n, south), " "); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestDisplayWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1023", "một nghìn không trăm hai mươi ba"},
		{"A1001", "a một nghìn không trăm linh một"},
		{"B023", "bê không hai mươi ba"},
		{"L5", "e lờ năm"},
		{"007", "không không bảy"},
		{"0", "không"},
	} {
		if got := strings.Join(DisplayWords(tc.in, Style{}), " "); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSentence(t *testing.T) {
	for _, tc := range []struct {
		template, display string
		counter           int
		want, caption     string
	}{
		{"", "1023", 5, "Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm", "Mời công dân có số thứ tự 1023 đến quầy số 5"},
		{"", "2015", 12, "Mời công dân có số thứ tự hai nghìn không trăm mười lăm đến quầy số mười hai", "Mời công dân có số thứ tự 2015 đến quầy số 12"},
		{"Xin mời số {number} đến quầy {counter}", "A105", 21, "Xin mời số a một trăm linh năm đến quầy hai mươi mốt", "Xin mời số A105 đến quầy 21"},
		{"{number}, quầy {counter}", "15", 4, "mười lăm quầy bốn", "15, quầy 4"},
	} {
		if got := Sentence(tc.template, tc.display, tc.counter, Style{}); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.display, got, tc.want)
		}
		if got := Caption(tc.template, tc.display, tc.counter); got != tc.caption {
			t.Errorf("caption %q, want %q", got, tc.caption)
		}
	}
	parts := Parts("", "15", 2, Style{})
	if len(parts) != 5 || !parts[0].Phrase || parts[1].Phrase || parts[3].Text != "đến quầy số" {
		t.Errorf("parts %+v", parts)
	}
}
