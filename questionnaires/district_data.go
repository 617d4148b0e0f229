package questionnaires

import (
	"fmt"
	"strings"

	"golang.org/x/text/width"
)

// Threshold is the index (0–100) a firm must reach on a track to count as past it. A profile
// that leaves track_threshold out uses the bundled profile's value, so the number lives in one
// data file (reference/jiangning.yaml), not in Go.
func (d *District) Threshold() float64 {
	if d != nil && d.TrackThreshold > 0 {
		return d.TrackThreshold
	}
	return BundledDistrict().TrackThreshold
}

// ForecastDays is how many days back the coverage forecast measures the pace; a profile that
// leaves forecast_window_days out uses the bundled profile's value.
func (d *District) ForecastDays() int {
	if d != nil && d.ForecastWindowDays > 0 {
		return d.ForecastWindowDays
	}
	return BundledDistrict().ForecastWindowDays
}

// CategoryAliases maps every spelling of the profile's categories (the key itself and its
// aliases, each in the form CategorySpelling gives) to the category's key.
func (d *District) CategoryAliases() map[string]string {
	m := map[string]string{}
	for _, c := range d.Categories {
		m[CategorySpelling(c.Key)] = c.Key
		for _, a := range c.Aliases {
			if s := CategorySpelling(a); s != "" {
				if _, taken := m[s]; !taken {
					m[s] = c.Key
				}
			}
		}
	}
	return m
}

// CategorySpelling is the form in which category names are compared: half width, no spaces and
// no trailing 企业, so that 规上、规上 企业 and ＧＳ企业 are written one way.
func CategorySpelling(s string) string {
	s = width.Fold.String(s)
	s = strings.Join(strings.Fields(s), "")
	return strings.TrimSuffix(s, "企业")
}

// checkAliases rejects an alias that names two categories, so that a roster's spelling never
// depends on the order of the profile.
func checkAliases(d *District) error {
	owner := map[string]string{}
	for _, c := range d.Categories {
		owner[CategorySpelling(c.Key)] = c.Key
	}
	for _, c := range d.Categories {
		for _, a := range c.Aliases {
			s := CategorySpelling(a)
			if s == "" {
				return fmt.Errorf("类别「%s」的 aliases 中有空的写法", c.Key)
			}
			if o, ok := owner[s]; ok && o != c.Key {
				return fmt.Errorf("写法「%s」同时属于类别「%s」和「%s」", a, o, c.Key)
			}
			owner[s] = c.Key
		}
	}
	return nil
}
