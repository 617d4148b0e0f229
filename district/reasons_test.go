package district_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/seal"
)

// hasHan reports whether s has a Chinese character or CJK punctuation once the names the test
// documents carry (firms, providers, the assessor) are taken out.
func hasHan(s string) bool {
	for _, name := range []string{"测试企业", "甲服务商", "乙服务商", "顾问"} {
		s = strings.ReplaceAll(s, name, "")
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			return true
		}
	}
	return false
}

// Every reason an import gives is the same Chinese as before in Reason (the log and the JSON) and
// English with no Chinese in ReasonIn("en"): refused (tampered, incomplete, bad date, foreign
// revision), skipped as a duplicate, kept as a conflict, and imported. (A file the JSON parser
// cannot read keeps the parser's Chinese detail after "cannot parse:"; see seal/canon.)
func TestImportReasonsInEnglish(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "区")
	src := t.TempDir()
	good, g := sealed(t, 0, 1200, recent(10), "甲服务商")
	tampered := bytes.Replace(good, []byte(g.Enterprise.Name), []byte("测试企业改"), 1)
	a, b, _ := twoVersions(t)
	future, _ := sealed(t, 0, 1201, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), "甲服务商")
	rev := sealedDoc(t, 1, 1202, recent(2))
	rev.Supersedes = g.ID
	revData, err := seal.Seal(rev, testKey("甲服务商"), seal.Signer{Name: "顾问", Organisation: "甲服务商"}, recent(1))
	if err != nil {
		t.Fatal(err)
	}
	empty := sealedDoc(t, 0, 1203, recent(3))
	empty.Answers = map[string]*assessment.Answer{}
	emptyData, err := seal.SignUnchecked(empty, testKey("甲服务商"), seal.Signer{Name: "顾问"}, recent(3))
	if err != nil {
		t.Fatal(err)
	}
	steps := [][]string{
		{write(t, src, "good.sdiag", good), write(t, src, "a.sdiag", a)},
		{write(t, src, "again.sdiag", good), write(t, src, "tampered.sdiag", tampered), write(t, src, "b.sdiag", b),
			write(t, src, "future.sdiag", future), write(t, src, "rev.sdiag", revData), write(t, src, "empty.sdiag", emptyData)},
	}
	statuses := map[string]bool{}
	for _, paths := range steps {
		log, err := district.Import(dst, paths, trusted, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log.Entries {
			statuses[e.Result+"/"+e.Status] = true
			if zh := e.ReasonIn("zh"); zh != e.Reason {
				t.Errorf("%s: ReasonIn(zh) = %q, Reason = %q", e.File, zh, e.Reason)
			}
			en := e.ReasonIn("en")
			if en == "" || hasHan(en) || strings.Contains(en, "%!") {
				t.Errorf("%s (%s/%s): English reason %q (Chinese %q)", filepath.Base(e.File), e.Result, e.Status, en, e.Reason)
			}
		}
		for _, grp := range district.GroupImport(log.Entries) {
			if hasHan(grp.ReasonIn("en")) {
				t.Errorf("group %s/%s: %q", grp.Result, grp.Status, grp.ReasonIn("en"))
			}
		}
	}
	for _, want := range []string{"imported/valid", "skipped/valid", "conflict/valid", "rejected/tampered",
		"rejected/" + district.StatusBadDate, "rejected/" + district.StatusBadRevision, "rejected/" + district.StatusIncomplete} {
		if !statuses[want] {
			t.Errorf("no entry %s among %v", want, statuses)
		}
	}
}
