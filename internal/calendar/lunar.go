package calendar

import "math"

// The Vietnamese lunar calendar (âm lịch), reckoned at UTC+7 as Vietnam
// reckons it: the new moons and the solar terms by the astronomical
// formulas that Vietnamese calendars use (Hồ Ngọc Đức's, after Jean
// Meeus's "Astronomical Algorithms"). Tết and the Hùng Kings' day fall by
// it; the shipped holiday names that state a lunar date are checked
// against it (calendar_test.go).

// Lunar is the lunar date of the solar day y-m-d in Vietnam: day, month
// (1–12), lunar year, and whether the month is a leap month (tháng nhuận).
func Lunar(y, m, d int) (day, month, year int, leap bool) {
	const tz = 7.0
	dayNumber := julianDay(d, m, y)
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	monthStart := newMoonDay(k+1, tz)
	if monthStart > dayNumber {
		monthStart = newMoonDay(k, tz)
	}
	a11, b11 := lunarMonth11(y, tz), 0
	if a11 >= monthStart {
		year, b11 = y, a11
		a11 = lunarMonth11(y-1, tz)
	} else {
		year, b11 = y+1, lunarMonth11(y+1, tz)
	}
	day = dayNumber - monthStart + 1
	diff := int(math.Floor(float64(monthStart-a11) / 29))
	month = diff + 11
	if b11-a11 > 365 { // a leap year: thirteen months
		if leapDiff := leapMonthOffset(a11, tz); diff >= leapDiff {
			month = diff + 10
			leap = diff == leapDiff
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		year--
	}
	return day, month, year, leap
}

// julianDay is the Julian day number of a Gregorian date.
func julianDay(d, m, y int) int {
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
}

// newMoon is the Julian day (fractional) of the k-th new moon after 1900-01-01.
func newMoon(k int) float64 {
	t := float64(k) / 1236.85
	t2, t3 := t*t, t*t*t
	dr := math.Pi / 180
	sin := func(deg float64) float64 { return math.Sin(deg * dr) }
	jd := 2415020.75933 + 29.53058868*float64(k) + 0.0001178*t2 - 0.000000155*t3
	jd += 0.00033 * sin(166.56+132.87*t-0.009173*t2)
	m := 359.2242 + 29.10535608*float64(k) - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*float64(k) + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*float64(k) - 0.0016528*t2 - 0.00000239*t3
	c := (0.1734-0.000393*t)*sin(m) + 0.0021*sin(2*m) - 0.4068*sin(mpr) + 0.0161*sin(2*mpr) - 0.0004*sin(3*mpr) +
		0.0104*sin(2*f) - 0.0051*sin(m+mpr) - 0.0074*sin(m-mpr) + 0.0004*sin(2*f+m) - 0.0004*sin(2*f-m) -
		0.0006*sin(2*f+mpr) + 0.0010*sin(2*f-mpr) + 0.0005*sin(2*mpr+m)
	deltaT := -0.000278 + 0.000265*t + 0.000262*t2
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	}
	return jd + c - deltaT
}

// newMoonDay is the day number, at zone tz (hours), of the k-th new moon.
func newMoonDay(k int, tz float64) int { return int(math.Floor(newMoon(k) + 0.5 + tz/24)) }

// sunLongitudeAt is the sun's longitude (radians, 0–2π) at Julian day jdn.
func sunLongitudeAt(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600-0.004817*t-0.000014*t2)*math.Sin(dr*m) + (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// solarTerm is which of the twelve major solar terms the day is in (0–11).
func solarTerm(dayNumber int, tz float64) int {
	return int(math.Floor(sunLongitudeAt(float64(dayNumber)-0.5-tz/24) / math.Pi * 6))
}

// lunarMonth11 is the day number the 11th lunar month before the end of year y begins.
func lunarMonth11(y int, tz float64) int {
	off := julianDay(31, 12, y) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k, tz)
	if solarTerm(nm, tz) >= 9 {
		nm = newMoonDay(k-1, tz)
	}
	return nm
}

// leapMonthOffset is which month after the 11th (from a11) is the leap one:
// the first without a major solar term.
func leapMonthOffset(a11 int, tz float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := solarTerm(newMoonDay(k+i, tz), tz)
	for {
		last := arc
		i++
		arc = solarTerm(newMoonDay(k+i, tz), tz)
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
