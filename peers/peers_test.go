package peers

import (
	"strings"
	"testing"
	"time"
)

var asOf = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// entries: 12 chemical (26) small firms at levels 0–3, 5 chemical medium ones, 4 firms without
// a division.
func sample() []Entry {
	var es []Entry
	for i := range 12 {
		es = append(es, Entry{Division: "26", Size: "small", Level: i % 4, Score: float64(i%4) + 0.3})
	}
	for i := range 5 {
		es = append(es, Entry{Division: "26", Size: "medium", Level: 2, Score: 2.5 + float64(i)/10})
	}
	for range 4 {
		es = append(es, Entry{Size: "small", Level: 1, Score: 1.1})
	}
	return es
}

func TestBuildKeepsOnlyGroupsOfTen(t *testing.T) {
	f := Build("江宁区", asOf, sample())
	got := map[string]int{}
	for _, g := range f.Groups {
		got[g.Division+"/"+g.Size] = g.N
	}
	want := map[string]int{"26/small": 12, "26/": 17, "/small": 16, "/": 21}
	if len(got) != len(want) {
		t.Errorf("groups %v, want %v (26/medium has 5: left out)", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: n = %d, want %d", k, got[k], n)
		}
	}
	data, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("x.json", data)
	if err != nil {
		t.Fatalf("an exported file does not parse: %v", err)
	}
	if len(back.Groups) != len(f.Groups) || back.AsOf != "2026-11-30" {
		t.Error("round trip lost groups")
	}
	// Counts only: nothing names a firm.
	if s := string(data); strings.Contains(s, "name") || strings.Contains(s, "credit") {
		t.Errorf("the file carries firm data:\n%s", s)
	}
}

func TestCompareFallsBackToCoarserGroups(t *testing.T) {
	f := Build("江宁区", asOf, sample())
	cases := []struct {
		div, size   string
		level       int
		score       float64
		group       string
		below, same int
	}{
		{"26", "small", 2, 2.3, "26/small", 6, 3}, // levels 0,1 ×3 each below, three at 2
		{"26", "medium", 2, 2.6, "26/", 6, 8},     // 26/medium has 5: division alone
		{"34", "small", 1, 1.1, "/small", 3, 7},   // no group for 34: size alone
		{"34", "", 0, 0.2, "/", 0, 3},             // only the whole district
		{"", "", 5, 4.9, "/", 21, 0},              // above everyone
	}
	for _, c := range cases {
		p, ok := f.Compare(c.div, c.size, c.level, c.score)
		if !ok {
			t.Fatalf("%+v: no group", c)
		}
		if g := p.Group.Division + "/" + p.Group.Size; g != c.group || p.Below != c.below || p.Same != c.same {
			t.Errorf("%s/%s level %d: group %s below %d same %d, want %s %d %d", c.div, c.size, c.level, g, p.Below, p.Same, c.group, c.below, c.same)
		}
		if p.ScorePercentile < 0 || p.ScorePercentile > 100 || p.Group.N < MinGroup {
			t.Errorf("%+v: percentile %.1f of n = %d", c, p.ScorePercentile, p.Group.N)
		}
	}
	if _, ok := (&File{}).Compare("26", "small", 1, 1); ok {
		t.Error("an empty file gave a position")
	}
}

func TestParseRefuses(t *testing.T) {
	good := `{"format":"smartdiag.peers/1","district":"江宁区","as_of":"2026-11-30","min_group":10,"groups":[` +
		`{"division":"26","size":"small","n":10,"levels":[1,2,3,4,0,0],"scores":[0,0,0,0,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0]}]}`
	if _, err := Parse("good.json", []byte(good)); err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	cases := map[string]struct{ from, to, msg string }{
		"format":    {`smartdiag.peers/1`, `smartdiag.peers/9`, "format"},
		"date":      {`2026-11-30`, `2026-13-40`, "as_of"},
		"min group": {`"min_group":10`, `"min_group":3`, "min_group"},
		"small n":   {`"n":10`, `"n":9`, "少于 10 家"},
		"division":  {`"division":"26"`, `"division":"99"`, "division"},
		"size":      {`"size":"small"`, `"size":"tiny"`, "size"},
		"sum":       {`[1,2,3,4,0,0]`, `[1,2,3,3,0,0]`, "之和"},
		"negative":  {`[1,2,3,4,0,0]`, `[1,2,3,5,-1,0]`, "无效"},
		"levels":    {`[1,2,3,4,0,0]`, `[1,2,3,4,0]`, "levels"},
		"unknown":   {`"district"`, `"firm_name":"x","district"`, "JSON"},
		"firm data": {`"n":10,`, `"n":10,"credit_code":"913201",`, "JSON"},
	}
	for name, c := range cases {
		bad := strings.Replace(good, c.from, c.to, 1)
		_, err := Parse("bad.json", []byte(bad))
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: %v, want an error naming bad.json and %q", name, err, c.msg)
		}
	}
}

// FuzzParse: any input is refused with an error or gives a file whose every group Compare can use.
func FuzzParse(f *testing.F) {
	data, _ := Build("江宁区", asOf, sample()).Encode()
	f.Add(data)
	f.Add([]byte(`{"format":"smartdiag.peers/1","as_of":"2026-01-01","min_group":10,"groups":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		pf, err := Parse("f.json", in)
		if err != nil {
			return
		}
		for _, g := range pf.Groups {
			if g.N < MinGroup {
				t.Fatalf("group of %d accepted", g.N)
			}
			p, ok := pf.Compare(g.Division, g.Size, 2, 2.5)
			if !ok || p.Group.N < MinGroup || p.Below+p.Same > p.Group.N || p.ScorePercentile < 0 || p.ScorePercentile > 100 {
				t.Fatalf("group %+v: position %+v %v", g, p, ok)
			}
		}
	})
}
