package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	"smartdiag/peers"
	q "smartdiag/questionnaires"
)

// Options control one report.
type Options struct {
	Lang       string    // "zh" (default) or "en": headings and labels; item texts stay as written
	Created    time.Time // the report's creation date; fixed in tests so output is deterministic
	Creator    string    // e.g. "smartdiag 0.2.0"
	District   *q.District
	Benchmarks *q.Benchmarks
	// Draft renders a preview of a draft for the enterprise's representative to read before they
	// confirm: every page carries a 草稿 (DRAFT) watermark and the document is not embedded, so
	// a preview can never pass for the report of a finished diagnosis.
	Draft bool
	// EvidenceDir is the workspace folder the document's evidence paths are relative to; with it
	// the report gets an appendix of the attached photos as thumbnails. Empty: no photo appendix
	// (a sealed document read elsewhere has no evidence files).
	EvidenceDir string
	// Earlier, when set, is an earlier diagnosis of the same firm: the report gets a page
	// comparing the two. One of another firm or questionnaire, or not earlier, is ignored.
	Earlier *Earlier
	// Peers is the district's anonymised peer benchmark; nil compares with the bundled reference.
	Peers *peers.File
}

// Page geometry in millimetres (A4).
const (
	pageW    = pdfstyle.PageW
	pageH    = pdfstyle.PageH
	marginL  = 18.0
	marginR  = 18.0
	marginT  = 22.0
	marginB  = 20.0
	contentW = pageW - marginL - marginR
	bottomY  = pageH - marginB
	fontName = pdfstyle.Font
)

// ErrUnfinished is returned for a draft: reports are made from finished diagnoses only.
var ErrUnfinished = errors.New("诊断尚未完成，不能生成报告")

// Write renders the report of a finished (or sealed) document to w; a draft only with opt.Draft.
func Write(w io.Writer, qn *q.Questionnaire, d *assessment.Document, opt Options) error {
	if d.Status == assessment.StatusDraft && !opt.Draft {
		return ErrUnfinished
	}
	docBytes, err := d.Encode()
	if err != nil {
		return err
	}
	d, opt = drawable(d, docBytes, opt)
	err = newRenderer(qn, d, opt).write(w, docBytes)
	if errors.Is(err, pdfstyle.ErrMissingGlyph) {
		// A character reached the page that the document's font subset lacks (see glyphs.go):
		// render again with the whole font rather than print a blank.
		wholeFaceRenders.Add(1)
		err = newRendererIn(pdfstyle.WholeFace(), qn, d, opt).write(w, docBytes)
	}
	return err
}

func (r *renderer) write(w io.Writer, docBytes []byte) error {
	r.build(docBytes)
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("生成 PDF 失败：%w", err)
	}
	return r.face.Output(r.pdf, w)
}

// renderer carries the state of one report.
type renderer struct {
	pdf     *fpdf.Fpdf
	face    *pdfstyle.Face // the font pdf embeds: a subset for this document, or the whole font
	qn      *q.Questionnaire
	d       *assessment.Document
	res     *assessment.Result
	plan    *assessment.Plan
	opt     Options
	en      bool
	lang    string
	rel     map[string]bool
	measure pdfstyle.Measurer          // width of a string at the current font size
	wrapped map[wrapKey][]string       // wrap's results
	facts   []sdFacts                  // computed once: the findings and the summary read the same facts
	nsec    int                        // numbered sections so far
	actNo   map[*assessment.Action]int // an action's number in the appendix list (active actions only)
	trend   *assessment.Trend          // nil without an earlier diagnosis

	watermarks int // pages watermarked as a draft, for the tests
}

// newRenderer starts the report of d with the font cut down to the characters it can draw.
func newRenderer(qn *q.Questionnaire, d *assessment.Document, opt Options) *renderer {
	return newRendererIn(nil, qn, d, opt)
}

// newRendererIn starts the report in face; nil is the subset for the document.
func newRendererIn(face *pdfstyle.Face, qn *q.Questionnaire, d *assessment.Document, opt Options) *renderer {
	if opt.Created.IsZero() {
		opt.Created = time.Now()
	}
	if opt.District == nil {
		opt.District = q.BundledDistrict()
	}
	if opt.Benchmarks == nil {
		opt.Benchmarks = q.BundledBenchmarks()
	}
	if opt.Creator == "" {
		opt.Creator = "smartdiag"
	}
	// The font subset and fpdf's parse of it (a few milliseconds) go on another core while the
	// diagnosis is scored and planned.
	type started struct {
		face *pdfstyle.Face
		pdf  *fpdf.Fpdf
	}
	ready := make(chan started, 1)
	go func() {
		f := face
		if f == nil {
			f = documentFace(qn, d, opt)
		}
		ready <- started{f, f.New(opt.Created, marginL, marginT, marginR, marginB)}
	}()
	res := assessment.Score(qn, d)
	r := &renderer{
		qn: qn, d: d, res: res, opt: opt, en: opt.Lang == "en", lang: opt.Lang,
		plan: assessment.BuildPlan(qn, d, res, opt.District),
		rel:  assessment.Relevant(qn, d),
	}
	r.actNo = map[*assessment.Action]int{}
	for _, ph := range assessment.Phases {
		for _, a := range r.plan.ByPhase()[ph] {
			r.actNo[a] = len(r.actNo) + 1
		}
	}
	if e := opt.Earlier; e != nil && e.Questionnaire != nil && e.Questionnaire.ID == qn.ID && assessment.IsEarlierOf(e.Doc, d) {
		r.trend = assessment.CompareWithEarlier(qn, d, res, e.Questionnaire, e.Doc, opt.District)
	}
	st := <-ready
	pdf := st.pdf
	pdf.SetCatalogSort(true)
	r.pdf, r.face = pdf, st.face
	r.measure = pdfstyle.CachedMeasure(pdf)
	r.wrapped = map[wrapKey][]string{}
	return r
}

func (r *renderer) reportID() string {
	id := strings.ToUpper(strings.ReplaceAll(r.d.ID, "-", ""))
	date := r.d.Created
	if r.d.Finished != nil {
		date = *r.d.Finished
	}
	return fmt.Sprintf("SD-%s-%s", date.In(cst).Format("20060102"), id[len(id)-8:])
}

// cst is China Standard Time, the time zone of every date printed in the report.
var cst = time.FixedZone("CST", 8*3600)

func (r *renderer) build(docBytes []byte) {
	p := r.pdf
	title := r.reportTitle()
	p.SetTitle(title+" · "+r.d.Enterprise.Name, true)
	p.SetAuthor(joinNonEmpty(" · ", r.d.Assessor.Name, r.d.Assessor.Organisation), true)
	p.SetSubject(r.L("programme")+" · "+r.qn.Title, true)
	p.SetKeywords(strings.Join([]string{"智改数转网联", "智能制造能力成熟度", r.d.Enterprise.CreditCode, r.reportID()}, " "), true)
	p.SetCreator(r.opt.Creator, true)
	if !r.opt.Draft {
		p.SetAttachments([]fpdf.Attachment{{
			Content:     docBytes,
			Filename:    r.d.ID + assessment.Ext,
			Description: "smartdiag diagnosis document",
		}})
	}
	p.SetHeaderFunc(r.header)
	p.SetFooterFunc(r.footer)

	r.cover(title)
	r.summary()
	r.firm()
	r.maturity()
	r.peerSection()
	if r.trend != nil {
		r.trendPage()
	}
	if r.qn.Scoring == q.ScoringCMMM {
		r.tracks()
		r.findings()
	}
	r.roadmap()
	r.kpis()
	if len(r.plan.Policies) > 0 {
		r.policies()
	}
	r.method()
	r.signatures()
	r.actionList()
	r.appendix()
	r.evidenceAppendix()
}

func (r *renderer) header() {
	if r.pdf.PageNo() == 1 {
		return
	}
	p := r.pdf
	r.font(8, false, pdfstyle.Muted)
	p.SetXY(marginL, 10)
	title := r.reportTitle()
	p.CellFormat(contentW/2, 5, pdfstyle.FitText(title+" · "+r.d.Enterprise.Name, contentW/2, r.measure), "", 0, "L", false, 0, "")
	p.CellFormat(contentW/2, 5, r.L("report_id")+" "+r.reportID(), "", 0, "R", false, 0, "")
	r.line(marginL, 16, pageW-marginR, 16, pdfstyle.Rule, 0.2)
	p.SetXY(marginL, marginT)
}

func (r *renderer) footer() {
	if r.opt.Draft {
		r.watermark()
	}
	if r.pdf.PageNo() == 1 {
		return
	}
	r.font(8, false, pdfstyle.Muted)
	r.pdf.SetXY(marginL, pageH-12)
	r.pdf.CellFormat(contentW, 5, fmt.Sprintf(r.L("page"), r.pdf.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
}

// watermark writes 草稿 (DRAFT) across the page, drawn last (from the footer) so no filled box
// hides it, and translucent so the text under it stays readable.
func (r *renderer) watermark() {
	p := r.pdf
	x, y := p.GetXY()
	// As large as fits along the page's diagonal with room to spare (the English mark is longer).
	mark := r.L("watermark")
	size := 150.0
	r.font(size, true, pdfstyle.Accent)
	if w := r.measure(mark); w > 220 {
		size *= 220 / w
		r.font(size, true, pdfstyle.Accent)
	}
	w := r.measure(mark)
	p.SetAlpha(0.22, "Normal")
	p.TransformBegin()
	p.TransformRotate(45, pageW/2, pageH/2)
	p.Text(pageW/2-w/2, pageH/2+size*0.353/2.8, mark) // baseline below the centre by about a third of the glyph height
	p.TransformEnd()
	p.SetAlpha(1, "Normal")
	r.watermarks++
	p.SetXY(x, y)
}

// --- drawing primitives -------------------------------------------------------------------------

func (r *renderer) font(size float64, bold bool, c pdfstyle.Color) {
	pdfstyle.SetFont(r.pdf, size, bold, c)
}
func (r *renderer) fill(c pdfstyle.Color) { pdfstyle.SetFill(r.pdf, c) }
func (r *renderer) draw(c pdfstyle.Color) { pdfstyle.SetDraw(r.pdf, c) }
func (r *renderer) y() float64            { return r.pdf.GetY() }
func (r *renderer) setY(y float64)        { r.pdf.SetXY(marginL, y) }

func (r *renderer) line(x1, y1, x2, y2 float64, c pdfstyle.Color, w float64) {
	pdfstyle.Line(r.pdf, x1, y1, x2, y2, c, w)
}

// ensure starts a new page when fewer than h millimetres are left on this one.
func (r *renderer) ensure(h float64) bool {
	if r.y()+h > bottomY {
		r.newPage()
		return true
	}
	return false
}

func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.setY(marginT)
}

// section starts a numbered section on a new page with a bookmark; sections are numbered as
// they appear, so a report without some of them has no gaps in its numbering.
func (r *renderer) section(key string) {
	r.nsec++
	if r.en {
		r.titled(fmt.Sprintf("%d. %s", r.nsec, r.L(key)))
	} else {
		r.titled(cnNumerals[min(r.nsec, len(cnNumerals))-1] + "、" + r.L(key))
	}
}

// titled starts an unnumbered section (an appendix) on a new page with a bookmark.
func (r *renderer) titled(title string) {
	r.newPage()
	r.pdf.Bookmark(title, 0, -1)
	r.font(16, true, pdfstyle.Primary)
	r.pdf.CellFormat(contentW, 9, title, "", 1, "L", false, 0, "")
	r.line(marginL, r.y()+1, marginL+contentW, r.y()+1, pdfstyle.Primary, 0.6)
	r.setY(r.y() + 5)
}

func (r *renderer) subheading(title string) {
	r.ensure(24) // the heading and at least a line or a table row under it
	r.setY(r.y() + 2)
	r.pdf.Bookmark(title, 1, -1)
	r.fill(pdfstyle.Primary)
	r.pdf.Rect(marginL, r.y()+1.2, 1.4, 5, "F")
	r.font(12, true, pdfstyle.Text)
	r.pdf.SetX(marginL + 3.5)
	r.pdf.CellFormat(contentW-3.5, 7.5, title, "", 1, "L", false, 0, "")
	r.setY(r.y() + 1)
}

// para writes wrapped text at x over width w; it breaks pages between lines.
func (r *renderer) para(x, w float64, text string, size, lineH float64, c pdfstyle.Color, bold bool) {
	r.font(size, bold, c)
	for _, ln := range r.wrap(text, size, w) {
		r.ensure(lineH)
		r.pdf.SetX(x)
		r.pdf.CellFormat(w, lineH, ln, "", 1, "L", false, 0, "")
		if bold {
			r.font(size, bold, c) // a page break in between resets the render mode
		}
	}
}

// wrap returns the lines of text at the given size within width (callers must not modify them).
// Results are kept for the report: blocks are measured before they are drawn (keep, table
// heights) and table headers repeat on every page.
func (r *renderer) wrap(text string, size, w float64) []string {
	pdfstyle.SetSize(r.pdf, size)
	k := wrapKey{text, size, w}
	if lines, ok := r.wrapped[k]; ok {
		return lines
	}
	lines := pdfstyle.BreakLinesCached(text, w, r.measure)
	r.wrapped[k] = lines
	return lines
}

type wrapKey struct {
	text    string
	size, w float64
}

// --- tables -------------------------------------------------------------------------------------

// column of a table.
type column struct {
	title string
	width float64
	align string // "L", "C", "R"
}

// table draws rows with wrapped cells, breaking across pages between rows and repeating the
// header on every page. Each row's cells may carry a background colour through rowFill.
type table struct {
	r       *renderer
	cols    []column
	size    float64
	lineH   float64
	rowFill func(i int) *pdfstyle.Color
	onRow   func(i int) // called before row i is drawn (e.g. for a group row)
}

func (r *renderer) newTable(cols ...column) *table {
	return &table{r: r, cols: cols, size: 8.5, lineH: 4.4}
}

func (t *table) header() {
	r := t.r
	if !slices.ContainsFunc(t.cols, func(c column) bool { return c.title != "" }) {
		return // a key–value table without a header row
	}
	h := 0.0
	lines := make([][]string, len(t.cols))
	for i, c := range t.cols {
		lines[i] = r.wrap(c.title, t.size, c.width-2.4)
		h = math.Max(h, float64(len(lines[i]))*t.lineH+2.4)
	}
	r.ensure(h + t.lineH + 2.4)
	y := r.y()
	x := marginL
	r.fill(pdfstyle.Primary)
	r.pdf.Rect(marginL, y, t.totalWidth(), h, "F")
	r.font(t.size, true, pdfstyle.White)
	for i, c := range t.cols {
		for j, ln := range lines[i] {
			r.pdf.SetXY(x+1.2, y+1.2+float64(j)*t.lineH)
			r.pdf.CellFormat(c.width-2.4, t.lineH, ln, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	r.setY(y + h)
}

func (t *table) totalWidth() float64 {
	w := 0.0
	for _, c := range t.cols {
		w += c.width
	}
	return w
}

// height is the height rows would take on one page: the header and every row.
func (t *table) height(cells [][]string) float64 {
	r := t.r
	h := 0.0
	if slices.ContainsFunc(t.cols, func(c column) bool { return c.title != "" }) {
		for _, c := range t.cols {
			h = math.Max(h, float64(len(r.wrap(c.title, t.size, c.width-2.4)))*t.lineH+2.4)
		}
	}
	for _, row := range cells {
		rh := 0.0
		for j, c := range t.cols {
			if j < len(row) {
				rh = math.Max(rh, float64(len(r.wrap(row[j], t.size, c.width-2.4)))*t.lineH+2.4)
			}
		}
		h += rh
	}
	return h
}

// rows draws the table; cells[i][j] is row i, column j.
func (t *table) rows(cells [][]string) {
	r := t.r
	t.header()
	for i, row := range cells {
		if t.onRow != nil {
			t.onRow(i)
		}
		lines := make([][]string, len(t.cols))
		h := 0.0
		for j, c := range t.cols {
			text := ""
			if j < len(row) {
				text = row[j]
			}
			lines[j] = r.wrap(text, t.size, c.width-2.4)
			h = math.Max(h, float64(len(lines[j]))*t.lineH+2.4)
		}
		if r.y()+h > bottomY {
			if h > bottomY-marginT-20 {
				// A row taller than a page: split its lines over pages.
				t.tallRow(lines)
				continue
			}
			r.newPage()
			t.header()
		}
		t.drawRow(i, lines, h)
	}
}

func (t *table) drawRow(i int, lines [][]string, h float64) {
	r := t.r
	y := r.y()
	if t.rowFill != nil {
		if c := t.rowFill(i); c != nil {
			r.fill(*c)
			r.pdf.Rect(marginL, y, t.totalWidth(), h, "F")
		}
	}
	x := marginL
	r.font(t.size, false, pdfstyle.Text) // CellFormat keeps the font and colours: once per row
	for j, c := range t.cols {
		for k, ln := range lines[j] {
			r.pdf.SetXY(x+1.2, y+1.2+float64(k)*t.lineH)
			r.pdf.CellFormat(c.width-2.4, t.lineH, ln, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	r.line(marginL, y+h, marginL+t.totalWidth(), y+h, pdfstyle.Rule, 0.15)
	r.setY(y + h)
}

// tallRow prints a row whose text does not fit on one page, continuing on the next pages.
func (t *table) tallRow(lines [][]string) {
	r := t.r
	for start := 0; ; {
		avail := int((bottomY - r.y() - 2.4) / t.lineH)
		if avail < 2 {
			r.newPage()
			t.header()
			continue
		}
		chunk := make([][]string, len(lines))
		more := false
		n := 0
		for j := range lines {
			if start < len(lines[j]) {
				end := min(len(lines[j]), start+avail)
				chunk[j] = lines[j][start:end]
				more = more || end < len(lines[j])
				n = max(n, len(chunk[j]))
			}
		}
		t.drawRow(-1, chunk, float64(n)*t.lineH+2.4)
		if !more {
			return
		}
		start += avail
		r.newPage()
		t.header()
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Render is Write into a byte slice.
func Render(qn *q.Questionnaire, d *assessment.Document, opt Options) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, qn, d, opt); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FileName is a readable file name for a document's report, valid and visible on Linux and
// Windows whatever the firm is called: the name is shortened, never starts with a dot, and ends
// with the end of the document id, so two firms of the same name never overwrite each other.
func FileName(d *assessment.Document) string {
	name := assessment.FileNamePart(d.Enterprise.Name, assessment.MaxNamePartRunes)
	if name == "" {
		name = "report"
	}
	id := assessment.FileNamePart(d.ID, 36)
	if len(id) > 8 {
		id = id[len(id)-8:]
	}
	return fmt.Sprintf("%s-诊断报告-%s.pdf", name, id)
}
