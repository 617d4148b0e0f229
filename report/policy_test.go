package report

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
)

// The policy section says applications follow the official documents and never claims an SME
// policy for a firm the size rule excludes.
func TestPolicySectionRespectsTheRules(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "sme-2024", 5)
	d.Enterprise.Employees, d.Enterprise.RevenueWan = 1532, 128000
	fin := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) // inside the SME pilot period
	d.Finished = &fin
	text := pdfText(t, qn, d, "zh")
	// Sections are numbered as they appear, so find the heading by its name after its number.
	i := strings.Index(text, "、政策指引")
	if i < 0 {
		t.Fatal("no policy section in an sme-2024 report")
	}
	section := text[i:]
	if !strings.Contains(section, "申报以主管部门正式文件为准") {
		t.Error("the policy section does not say 申报以主管部门正式文件为准")
	}
	for _, title := range []string{"南京市中小企业数字化转型试点补贴（第二批）", "南京市中小企业数字化转型试点补贴（四级加码）"} {
		j := strings.Index(section, title)
		if j < 0 {
			t.Errorf("%s not listed", title)
			continue
		}
		after := section[j+len(title):]
		if !strings.HasPrefix(after, "不适用于本企业") {
			t.Errorf("%s: status %q, want 不适用于本企业", title, after[:min(len(after), 40)])
		}
	}
	if strings.Contains(section, "已满足条件") {
		t.Error("a policy is 已满足 on an estimate")
	}
}

// The projects' total is given net of subsidies for an eligible SME, and the report says why there
// is no net figure for a firm that is not eligible.
func TestProjectsTotalNetOfSubsidy(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "sme-2024", 5)
	fin := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	d.Finished = &fin
	d.Enterprise.Employees, d.Enterprise.RevenueWan = 320, 45000
	d.SelfTest = &assessment.SelfTest{SMELevel: 2}
	for _, c := range []struct {
		lang, net, none string
	}{{"zh", "扣除已满足条件的补贴（南京市中小企业数字化转型试点补贴（第二批）", "尚无已满足条件的补贴"}, {"en", "net of eligible subsidies (Nanjing SME digital-transformation pilot subsidy (batch 2)", "no subsidy eligibility is established yet"}} {
		text := pdfText(t, qn, d, c.lang)
		if !strings.Contains(text, strings.Join(strings.Fields(c.net), "")) {
			t.Errorf("%s: eligible SME report has no total net of subsidies", c.lang)
		}
		large := *d
		large.Enterprise.Employees, large.Enterprise.RevenueWan = 1532, 128000
		text = pdfText(t, qn, &large, c.lang)
		if strings.Contains(text, strings.Join(strings.Fields(c.net), "")) || !strings.Contains(text, strings.Join(strings.Fields(c.none), "")) {
			t.Errorf("%s: a firm that is not an SME gets a net of subsidies, or no reason why not", c.lang)
		}
	}
}
