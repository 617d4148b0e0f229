package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/golden"
	q "smartdiag/questionnaires"
	"smartdiag/seal"
)

var fixedDate = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func demoDoc(t testing.TB, qid string, seed uint64) (*q.Questionnaire, *assessment.Document) {
	t.Helper()
	return demoDocOf(t, qid, "", seed)
}

// demoDocOf is demoDoc for a given bundled version of the questionnaire ("" for the newest).
func demoDocOf(t testing.TB, qid, version string, seed uint64) (*q.Questionnaire, *assessment.Document) {
	t.Helper()
	qn, err := q.Lookup(qid, version)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: seed, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	return qn, docs[0]
}

func TestReportIsDeterministicAndCarriesItsDocument(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 11)
	a, err := Render(qn, d, Options{Created: fixedDate})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(qn, d, Options{Created: fixedDate})
	if !bytes.Equal(a, b) {
		t.Error("two renders with the same creation date differ")
	}
	if len(a) > 800<<10 {
		t.Errorf("report is %d KB, target ≤ 800 KB", len(a)>>10)
	}
	got, err := seal.ExtractDocument(a)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := d.Encode()
	if !bytes.Equal(got, want) {
		t.Error("the embedded document differs from the source document")
	}
}

func TestDraftIsRefused(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 1)
	d.Status, d.Finished = assessment.StatusDraft, nil
	if _, err := Render(qn, d, Options{}); err != ErrUnfinished {
		t.Errorf("err = %v, want ErrUnfinished", err)
	}
}

// pdftotext, when installed, shows every answer note in full in the text of the report.
func TestReportTextHasEveryNote(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	for _, lang := range []string{"zh", "en"} {
		qn, d := demoDoc(t, "cmmm-full", 7)
		long := "现场查看了二车间的MES报工记录与设备点检表：三月份OEE为62.5%，四月份提升到68.1%；班组长能够说明停机原因的分类方法，但部分记录仍为手写，建议在下一阶段统一录入系统并每周复盘。"
		for _, it := range qn.Items()[:3] {
			if d.Answers[it.ID] != nil {
				d.Answers[it.ID].Note = long
			}
		}
		// Lines of a wrapped cell come out separately: compare with whitespace removed.
		text := pdfText(t, qn, d, lang)
		for id, a := range d.Answers {
			if a.Note == "" {
				continue
			}
			want := strings.Join(strings.Fields(a.Note), "")
			if !strings.Contains(text, want) {
				t.Errorf("%s (%s): note %q not found in full", lang, id, a.Note)
			}
		}
	}
}

func TestEveryQuestionnaireRenders(t *testing.T) {
	for _, qid := range []string{"cmmm-full", "zgsz-quick", "sme-2024", "ai-2026"} {
		for _, lang := range []string{"zh", "en"} {
			qn, d := demoDoc(t, qid, 5)
			if _, err := Render(qn, d, Options{Created: fixedDate, Lang: lang}); err != nil {
				t.Errorf("%s %s: %v", qid, lang, err)
			}
		}
	}
}

func BenchmarkReportCMMMFull(b *testing.B) {
	qn, d := demoDoc(b, "cmmm-full", 11)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, err := Render(qn, d, Options{Created: fixedDate})
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size)/1024, "KB/report")
}

// The text of the cover and summary pages of a fixed demo report, in both languages, is compared
// with golden files: run `go test ./report -update` after a deliberate change.
func TestSummaryPagesGolden(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	for _, lang := range []string{"zh", "en"} {
		qn, d := demoDoc(t, "cmmm-full", 2026)
		pdf, err := Render(qn, d, Options{Created: fixedDate, Lang: lang, Creator: "smartdiag test"})
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		out, err := exec.Command("pdftotext", "-layout", "-f", "1", "-l", "2", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "summary-"+lang+".golden"), out)
	}
}

// TestEnglishReportHasNoChineseItemText renders a zgsz-quick demo report in English and checks
// that no item's Chinese requirement or improvement reaches it, while their English does.
func TestEnglishReportHasNoChineseItemText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "zgsz-quick", 7)
	text := pdfText(t, qn, d, "en")
	english := 0
	for _, it := range qn.Items() {
		// The first characters of a text never straddle a line break the way a whole sentence can.
		head := func(s string, n int) string {
			s = strings.Join(strings.Fields(s), "")
			if r := []rune(s); len(r) > n {
				return string(r[:n])
			}
			return s
		}
		for _, zh := range []string{it.Text, it.Improve} {
			if strings.Contains(text, head(zh, 12)) {
				t.Errorf("%s: Chinese %q in the English report", it.ID, head(zh, 12))
			}
		}
		if strings.Contains(text, head(it.TextEN, 20)) {
			english++
		}
	}
	if english < len(qn.Items())/2 {
		t.Errorf("only %d of %d items' English texts appear in the report", english, len(qn.Items()))
	}
}

// pdfText renders a report and returns its text (pdftotext), skipping when poppler is missing.
func pdfText(t *testing.T, qn *q.Questionnaire, d *assessment.Document, lang string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	pdf, err := Render(qn, d, Options{Created: fixedDate, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return squeeze(string(out))
}

// Every sub-domain has its findings, and the summary names the same strongest and weakest
// sub-domains, with the same scores, as the findings pages.
func TestFindingsCoverEverySubDomain(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 3)
	text := pdfText(t, qn, d, "zh")
	start := strings.Index(text, "分子域诊断发现")
	end := strings.Index(text, "改进项目与路线图")
	if start < 0 || end < start {
		t.Fatal("findings section not found")
	}
	body := text[start:end]
	res := assessment.Score(qn, d)
	for i, sd := range qn.SubDomains() {
		// pdftotext may set a heading's name apart from its score when the page header is near.
		for _, s := range []string{sd.Name, fmt.Sprintf("%.2f（", res.SubDomains[i].Score)} {
			if !strings.Contains(body, s) {
				t.Errorf("findings lack %q", s)
			}
		}
	}
	r := newRenderer(qn, d, Options{Created: fixedDate})
	r.build(nil)
	facts := slices.Clone(r.subDomainFacts())
	if len(facts) != 20 {
		t.Fatalf("%d sub-domains with findings, want 20", len(facts))
	}
	sort.SliceStable(facts, func(i, j int) bool { return facts[i].score.Score > facts[j].score.Score })
	summary := strings.Join(strings.Fields(r.summaryText()), "")
	for _, f := range []sdFacts{facts[0], facts[len(facts)-1]} {
		if s := fmt.Sprintf("%s%.2f", f.sd.Name, f.score.Score); !strings.Contains(summary, s) {
			t.Errorf("summary lacks %q: %s", s, summary)
		}
	}
}

// A quick scan asks up to 三级: nothing above its ceiling is shown, and the ceiling is explained.
func TestQuickScanShowsNoLevelAboveItsCeiling(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		qn, d := demoDoc(t, "zgsz-quick", seed)
		text := pdfText(t, qn, d, "zh")
		body := text[:strings.Index(text, AppendixMarker("zh"))]
		for _, bad := range []string{"四级0.", "五级0.", "四级的分级得分"} {
			if strings.Contains(body, bad) {
				t.Errorf("seed %d: the quick-scan report shows %q", seed, bad)
			}
		}
		if !strings.Contains(body, "本问卷的题目只覆盖到三级") {
			t.Errorf("seed %d: the ceiling is not explained", seed)
		}
	}
}

// The firm's own profile, inventory and pain points are printed verbatim in 企业概况; a document
// without them still renders, saying what was not recorded.
func TestFirmOverviewPrintsTheFirmsOwnWords(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 3)
	d.Enterprise.Products, d.Enterprise.Processes, d.Enterprise.PainPoints = "", "", nil // demo firms have them
	bare := pdfText(t, qn, d, "zh")
	if !strings.Contains(bare, "本次诊断未记录企业反映的问题") {
		t.Error("a document without pain points does not say so")
	}
	d.Enterprise.Products = "液压阀块、比例阀"
	d.Enterprise.Processes = "下料、数控加工、清洗、装配、试压"
	d.Enterprise.PainPoints = []string{"订单一多交期就拖，车间不知道先做哪个。"}
	d.Enterprise.Inventory = []assessment.InventoryEntry{{Kind: "equipment", Name: "数控加工中心", Model: "DMG", Count: 12, Since: 2016, Note: "4台无联网接口"}}
	text := pdfText(t, qn, d, "zh")
	end := strings.Index(text, "成熟度详情")
	for _, want := range []string{"液压阀块、比例阀", "下料、数控加工、清洗、装配、试压", "「订单一多交期就拖，车间不知道先做哪个。」", "数控加工中心", "4台无联网接口", "2016"} {
		if k := strings.Index(text, want); k < 0 || k > end {
			t.Errorf("企业概况 lacks %q", want)
		}
	}
}

// sme-2024: the level is explained with the points and the scenario counts its rule needs, and
// the way to the next level is given.
func TestPointsLevelIsExplained(t *testing.T) {
	qn, d := demoDoc(t, "sme-2024", 2)
	text := pdfText(t, qn, d, "zh")
	res := assessment.Score(qn, d)
	for _, want := range []string{"定级规则与本企业情况", fmt.Sprintf("本企业得分%.1f，评为%s", res.Score, qn.LevelShortName(res.Level)), "至少6个场景达到二级", "申报以主管部门正式文件为准"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sme report lacks %q", want)
		}
	}
	if res.Level < 4 && !strings.Contains(text, "升到"+qn.LevelShortName(res.Level+1)+"最省的路径") {
		t.Error("no way to the next level")
	}
}

// The method page states the scale, threshold and weights' status, the contacts, the evidence,
// and the signature boxes have room for the seals.
func TestMethodPageAndSeals(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 5)
	d.Assessor.Phone, d.Assessor.Email = "025-52100000", "shen@example.com"
	for id, a := range d.Answers {
		a.Evidence = []assessment.Evidence{{Name: "车间照片.jpg", Path: d.ID + ".files/" + id + "/车间照片.jpg", Size: 204800, SHA256: strings.Repeat("ab", 32), Added: fixedDate}}
		break
	}
	text := pdfText(t, qn, d, "zh")
	for _, want := range []string{"评估方法说明", "达到0.8即视为满足该级", "能力子域权重（参照）", "025-52100000", "shen@example.com", "车间照片.jpg", "200KB", "诊断机构（盖章）", "企业（盖章）", "盖章处"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// A preview of a draft renders (a draft is otherwise refused) with 草稿 across every page, in both
// languages, and embeds no document; the report of a finished diagnosis has no watermark.
func TestDraftPreviewWatermarksEveryPage(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		qn, d := demoDoc(t, "cmmm-full", 3)
		d.Status, d.Finished = assessment.StatusDraft, nil
		delete(d.Answers, qn.Items()[0].ID)
		opt := Options{Created: fixedDate, Lang: lang, Draft: true}
		r := newRenderer(qn, d, opt)
		r.build(nil)
		var buf bytes.Buffer
		if err := r.pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		if n := r.pdf.PageCount(); n < 5 || r.watermarks != n {
			t.Fatalf("%s: %d of %d pages watermarked", lang, r.watermarks, n)
		}
		pdf, err := Render(qn, d, opt)
		if err != nil {
			t.Fatalf("%s: a draft preview: %v", lang, err)
		}
		if _, err := seal.ExtractDocument(pdf); err == nil {
			t.Errorf("%s: the preview embeds the draft", lang)
		}
		if pages := pagesWith(t, pdf, "草稿"); pages != nil && !slices.Equal(pages.with, pages.all) {
			t.Errorf("%s: 草稿 on pages %v of %v", lang, pages.with, pages.all)
		}
		d.Status = assessment.StatusFinished
		now := fixedDate
		d.Finished = &now
		d.Answers[qn.Items()[0].ID] = d.Answers[qn.Items()[1].ID]
		final, err := Render(qn, d, Options{Created: fixedDate, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		if pages := pagesWith(t, final, "草稿"); pages != nil && len(pages.with) > 1 {
			t.Errorf("%s: the final report has 草稿 on pages %v", lang, pages.with)
		}
	}
}

type pageHits struct{ with, all []int }

// pagesWith lists the pages whose text (pdftotext -raw, in drawing order, so a rotated mark stays
// in one piece) contains s; nil without pdftotext.
func pagesWith(t *testing.T, pdf []byte, s string) *pageHits {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return nil
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(in, pdf, 0o644)
	out, err := exec.Command("pdftotext", "-raw", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	h := &pageHits{}
	for i, page := range strings.Split(strings.TrimRight(string(out), "\f"), "\f") {
		h.all = append(h.all, i+1)
		// Rotated text comes out one character a line: compare without whitespace.
		if strings.Contains(strings.Join(strings.Fields(page), ""), s) {
			h.with = append(h.with, i+1)
		}
	}
	return h
}

// An empty plan says why in the report: target reached when every requirement is met, every
// action excluded when the consultant excluded them all.
func TestEmptyPlanSaysWhy(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	for _, lang := range []string{"zh", "en"} {
		qn, d := demoDoc(t, "cmmm-full", 4)
		for _, it := range qn.Items() {
			if it.Type == q.TypeScale {
				// Written directly: SetAnswer refuses a finished document.
				d.Answers[it.ID] = &assessment.Answer{Value: []byte(`"full"`), AnsweredAt: fixedDate}
			}
		}
		plan := assessment.BuildPlan(qn, d, assessment.Score(qn, d), nil)
		if why := plan.EmptyReason(); why != assessment.EmptyTargetReached {
			t.Fatalf("%s: reason %q", lang, why)
		}
		if text := pdfText(t, qn, d, lang); !strings.Contains(text, squeeze(assessment.EmptyText(assessment.EmptyTargetReached, lang))) {
			t.Errorf("%s: the report does not say the target is reached", lang)
		}
	}
}

// Excluding an action renumbers appendix 1: the action that was second is first, with no gap.
func TestExcludingAnActionRenumbers(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 6)
	r := newRenderer(qn, d, Options{Created: fixedDate})
	first, second := firstTwo(r)
	if first == nil || second == nil || r.actNo[first] != 1 || r.actNo[second] != 2 {
		t.Fatal("the plan has fewer than two numbered actions")
	}
	if d.Plan == nil {
		d.Plan = &assessment.PlanEdits{}
	}
	if d.Plan.Actions == nil {
		d.Plan.Actions = map[string]*assessment.ActionEdit{}
	}
	d.Plan.Actions[first.ItemID] = &assessment.ActionEdit{Exclude: true}
	r = newRenderer(qn, d, Options{Created: fixedDate})
	nums := map[int]bool{}
	for a, n := range r.actNo {
		if a.ItemID == first.ItemID {
			t.Fatalf("the excluded action is numbered %d", n)
		}
		if a.ItemID == second.ItemID && n != 1 {
			t.Fatalf("the second action is numbered %d after the first was excluded", n)
		}
		nums[n] = true
	}
	for i := 1; i <= len(nums); i++ {
		if !nums[i] {
			t.Fatalf("number %d missing from %v", i, nums)
		}
	}
}

func firstTwo(r *renderer) (a, b *assessment.Action) {
	for x, n := range r.actNo {
		switch n {
		case 1:
			a = x
		case 2:
			b = x
		}
	}
	return a, b
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
