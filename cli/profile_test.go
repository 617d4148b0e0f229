package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"smartdiag/assessment"
	"smartdiag/seal"
)

// otherDistrict is a profile for a district that is not Jiangning: its own four streets and a
// fourth category, 专精特新企业, as docs/reference-data.md tells another district to write.
const otherDistrict = `format: smartdiag.district/1
id: wuzhong
name: 苏州市吴中区
office: 吴中区工业和信息化局
programme: 智改数转网联
streets: [长桥街道, 越溪街道, 郭巷街道, 横泾街道]
categories:
  - key: 规上工业企业
    target: 10
  - key: 高成长性企业
    target: 4
  - key: 新开工企业
    target: 3
  - key: 专精特新企业
    target: 5
coverage_deadline: 2027-06-30
`

// writeOtherDistrict writes the profile and a roster of n firms on its streets, every third firm
// a 专精特新企业.
func writeOtherDistrict(t *testing.T, n int) (profile, roster string) {
	t.Helper()
	dir := t.TempDir()
	profile = filepath.Join(dir, "wuzhong.yaml")
	if err := os.WriteFile(profile, []byte(otherDistrict), 0o644); err != nil {
		t.Fatal(err)
	}
	streets := []string{"长桥街道", "越溪街道", "郭巷街道", "横泾街道"}
	cats := []string{"规上工业企业", "高成长性企业", "专精特新企业"}
	var b strings.Builder
	b.WriteString("序号,企业名称,统一社会信用代码,所属街道,企业类型,行业类别\n")
	for i := range n {
		first := fmt.Sprintf("91320506MA%07d", i)
		c, err := assessment.CreditCheckChar(first)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d,苏州吴中%02d精密机械有限公司,%s,%s,%s,34\n", i+1, i, first+string(c), streets[i%4], cats[i%3])
	}
	roster = filepath.Join(dir, "名册.csv")
	if err := os.WriteFile(roster, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return profile, roster
}

// A profile for another district works end to end with no code change: demo keeps the roster's
// categories and writes nothing of Jiangning, import --profile takes every document without a
// note (the bundled profile notes each), and the tally of the imported folder counts the fourth
// category on the profile's streets.
func TestAnotherDistrictProfileEndToEnd(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	profile, roster := writeOtherDistrict(t, 12)
	out := t.TempDir()
	code, stdout, errs := run(t, "demo", "--roster", roster, "--profile", profile, "--out", out, "--coverage", "1", "--seed", "3")
	if code != ExitOK {
		t.Fatalf("demo --roster --profile: exit %d\n%s%s", code, stdout, errs)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	special, docs := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "江宁") {
			t.Errorf("%s mentions 江宁", filepath.Base(f))
		}
		if filepath.Ext(f) != assessment.Ext {
			continue
		}
		d, err := assessment.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs++
		if !strings.HasPrefix(d.Enterprise.Address, "苏州市吴中区"+d.Enterprise.Street) {
			t.Errorf("%s: address %q", d.Enterprise.Name, d.Enterprise.Address)
		}
		if !slices.Contains([]string{"长桥街道", "越溪街道", "郭巷街道", "横泾街道"}, d.Enterprise.Street) {
			t.Errorf("%s: street %q is not the profile's", d.Enterprise.Name, d.Enterprise.Street)
		}
		if slices.Contains(d.Enterprise.Categories, "专精特新企业") {
			special++
		}
	}
	if special == 0 {
		t.Fatal("the roster's 专精特新企业 category was dropped")
	}

	keys, _ := filepath.Glob(filepath.Join(out, "demo-key-*.json"))
	for _, k := range keys {
		if code, o, e := run(t, "trust", "add", "--demo", k); code != ExitOK {
			t.Fatalf("trust add: %s%s", o, e)
		}
	}
	// import --profile: every document lands in the district folder with no note; the same import
	// against the bundled profile (Jiangning) notes each firm's street and the fourth category.
	into := filepath.Join(t.TempDir(), "区工作区")
	code, stdout, errs = run(t, "import", "--into", into, "--profile", profile, "--json", out)
	if code != ExitOK {
		t.Fatalf("import --profile: exit %d\n%s%s", code, stdout, errs)
	}
	var log struct {
		Imported int `json:"imported"`
		Entries  []struct {
			Street     string   `json:"street"`
			Categories []string `json:"categories"`
			Notes      []string `json:"notes"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Imported != docs || len(log.Entries) != docs {
		t.Fatalf("import --profile: %d imported of %d entries, want %d\n%s", log.Imported, len(log.Entries), docs, stdout)
	}
	for _, e := range log.Entries {
		if e.Street == "" || len(e.Notes) > 0 {
			t.Errorf("import --profile: street %q, notes %q", e.Street, e.Notes)
		}
	}
	code, stdout, errs = run(t, "import", "--into", filepath.Join(t.TempDir(), "江宁"), out)
	if code != ExitOK {
		t.Fatalf("import with the bundled profile: exit %d\n%s%s", code, stdout, errs)
	}
	if n := strings.Count(stdout, "不是区县画像（南京市江宁区）的街道"); n != docs {
		t.Errorf("import with the bundled profile: %d street notes, want %d\n%s", n, docs, stdout)
	}
	if n := strings.Count(stdout, "企业类别「专精特新企业」不是区县画像（南京市江宁区）的类别"); n != special {
		t.Errorf("import with the bundled profile: %d category notes, want %d\n%s", n, special, stdout)
	}
	if code, _, errs := run(t, "import", "--into", into, "--profile", filepath.Join(t.TempDir(), "无.yaml"), out); code != ExitInput || !strings.Contains(errs, "无.yaml") {
		t.Errorf("import --profile with a missing file: exit %d, %q", code, errs)
	}

	code, stdout, errs = run(t, "tally", "--roster", roster, "--profile", profile, "--json", into)
	if code != ExitOK {
		t.Fatalf("tally: exit %d\n%s%s", code, stdout, errs)
	}
	var res struct {
		District string `json:"district"`
		Coverage struct {
			ByCategory map[string]map[string]any `json:"by_category"`
			ByStreet   map[string]map[string]any `json:"by_street"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.District != "苏州市吴中区" || strings.Contains(stdout, "江宁") {
		t.Fatalf("tally of another district: %s", stdout)
	}
	// Every firm is diagnosed (coverage 1): 4 of the 12 are 专精特新企业.
	if c := res.Coverage.ByCategory["专精特新企业"]; c["diagnosed"] != 4.0 || c["target"] != 4.0 {
		t.Fatalf("专精特新企业: %v (by category %v)", c, res.Coverage.ByCategory)
	}
	for _, st := range []string{"长桥街道", "越溪街道", "郭巷街道", "横泾街道"} {
		if c := res.Coverage.ByStreet[st]; c["diagnosed"] != 3.0 {
			t.Errorf("street %s: %v", st, c)
		}
	}
}
