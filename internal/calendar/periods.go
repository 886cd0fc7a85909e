package calendar

import "time"

// Starts are the beginnings of now's day, month, quarter and year, in now's
// zone: the periods the reports and the public page count.
func Starts(now time.Time) (today, month, quarter, year time.Time) {
	today = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	month = today.AddDate(0, 0, 1-today.Day())
	quarter = time.Date(today.Year(), (today.Month()-1)/3*3+1, 1, 0, 0, 0, 0, today.Location())
	year = time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())
	return
}
