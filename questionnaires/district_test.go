package questionnaires

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadDistrictReadsTheBundledProfile(t *testing.T) {
	d, err := LoadDistrict("reference/jiangning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, BundledDistrict()) {
		t.Fatalf("loaded profile differs from the bundled one:\n%+v\n%+v", d, BundledDistrict())
	}
}

func TestLoadDistrictErrors(t *testing.T) {
	good, err := os.ReadFile("reference/jiangning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := map[string]struct{ text, want string }{
		"missing format": {strings.Replace(string(good), "format: smartdiag.district/1\n", "", 1), "缺少 format"},
		"newer":          {strings.Replace(string(good), "smartdiag.district/1", "smartdiag.district/2", 1), "需要更新软件"},
		"unknown field":  {string(good) + "\nextra_field: 1\n", "extra_field"},
		"bad deadline":   {strings.Replace(string(good), "coverage_deadline: 2026-12-31", "coverage_deadline: 31.12.2026", 1), "coverage_deadline"},
		"negative":       {strings.Replace(string(good), "target: 0    # 待区工信局填写\n    note: 规模以上", "target: -3\n    note: 规模以上", 1), "负数"},
		"duplicate":      {strings.Replace(string(good), "  - 秣陵街道\n", "  - 东山街道\n", 1), "重复"},
		"not yaml":       {"{{{", "不是有效的区县画像"},
	}
	for name, c := range cases {
		path := filepath.Join(dir, name+".yaml")
		os.WriteFile(path, []byte(c.text), 0o644)
		_, err := LoadDistrict(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v (want %q)", name, err, c.want)
		}
	}
	// Targets filled in by the office are read.
	path := filepath.Join(dir, "targets.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(good), "target: 0    # 待区工信局填写\n    note: 规模以上", "target: 420\n    note: 规模以上", 1)), 0o644)
	d, err := LoadDistrict(path)
	if err != nil || d.Categories[0].Target != 420 {
		t.Fatalf("%v %+v", err, d)
	}
}
