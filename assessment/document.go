// Package assessment is the domain of smartdiag: the enterprise profile, the diagnosis document
// (.sdiag), scoring, and the workspace that stores documents. It never imports the UI.
package assessment

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"smartdiag/questionnaires"
	"smartdiag/seal/canon"
)

// Format is the value of "format" in documents this version writes. The number after the slash is
// the major version: a reader refuses documents with a higher major version rather than misread them.
const (
	FormatPrefix = "smartdiag.diagnosis/"
	FormatMajor  = 1
	Format       = "smartdiag.diagnosis/1"
)

// Status of a document.
const (
	StatusDraft    = "draft"
	StatusFinished = "finished"
	StatusSealed   = "sealed"
)

// Document is one diagnosis: who, what questionnaire, and every answer.
type Document struct {
	Format        string             `json:"format"`
	ID            string             `json:"id"`
	Supersedes    string             `json:"supersedes,omitempty"` // id of the revised document
	Questionnaire QuestionnaireRef   `json:"questionnaire"`
	Enterprise    Enterprise         `json:"enterprise"`
	Assessor      Assessor           `json:"assessor"`
	TargetLevel   int                `json:"target_level,omitempty"`
	Status        string             `json:"status"`
	Created       time.Time          `json:"created"`
	Updated       time.Time          `json:"updated"`
	Finished      *time.Time         `json:"finished,omitempty"`
	Answers       map[string]*Answer `json:"answers"`
	Plan          *PlanEdits         `json:"plan,omitempty"`
	Confirmation  *Confirmation      `json:"confirmation,omitempty"`
	SelfTest      *SelfTest          `json:"self_test,omitempty"`
	Seal          *Seal              `json:"seal,omitempty"` // see seal.go
}

// Confirmation records the enterprise representative who confirmed the finished diagnosis.
type Confirmation struct {
	Name string    `json:"name"`
	Date time.Time `json:"date"`
}

// SelfTest records the results of the provincial online self-tests the firm reports (and the
// consultant has seen on the platform), so policy conditions that depend on them can be checked.
// Every field is optional; absent means not reported.
type SelfTest struct {
	// DigitalPoints is the 江苏省数字化转型通用能力 self-test score, 0–100.
	DigitalPoints *float64 `json:"digital_points,omitempty"`
	// SmartFactoryLevel is the 智能工厂等级水平 (CMMM) self-test level, 1–5.
	SmartFactoryLevel int `json:"smart_factory_level,omitempty"`
	// AIScenarioLevel is the AI场景应用等级 self-test level, 1–5.
	AIScenarioLevel int `json:"ai_scenario_level,omitempty"`
	// SMELevel is the 中小企业数字化水平 level (2024 indicators, 1–4) a third party rated on site:
	// the level the SME pilot subsidies depend on.
	SMELevel int `json:"sme_level,omitempty"`
	// AIScenarioShare is the share of the firm's scenarios that apply AI, %, 0–100.
	AIScenarioShare *float64 `json:"ai_scenario_share,omitempty"`
	// Date is when the self-test was taken, YYYY-MM-DD.
	Date string `json:"date,omitempty"`
}

func (s *SelfTest) check() error {
	if s == nil {
		return nil
	}
	if p := s.DigitalPoints; p != nil && (*p < 0 || *p > 100 || math.IsNaN(*p)) {
		return fmt.Errorf("字段 self_test.digital_points 无效：%g（应为 0–100）", *p)
	}
	if p := s.AIScenarioShare; p != nil && (*p < 0 || *p > 100 || math.IsNaN(*p)) {
		return fmt.Errorf("字段 self_test.ai_scenario_share 无效：%g（应为 0–100）", *p)
	}
	if s.SmartFactoryLevel < 0 || s.SmartFactoryLevel > 5 {
		return fmt.Errorf("字段 self_test.smart_factory_level 无效：%d（应为 1–5）", s.SmartFactoryLevel)
	}
	if s.SMELevel < 0 || s.SMELevel > 4 {
		return fmt.Errorf("字段 self_test.sme_level 无效：%d（应为 1–4）", s.SMELevel)
	}
	if s.AIScenarioLevel < 0 || s.AIScenarioLevel > 5 {
		return fmt.Errorf("字段 self_test.ai_scenario_level 无效：%d（应为 1–5）", s.AIScenarioLevel)
	}
	if s.Date != "" {
		if _, err := time.Parse(time.DateOnly, s.Date); err != nil {
			return fmt.Errorf("字段 self_test.date 无效：%q（应为 YYYY-MM-DD）", s.Date)
		}
	}
	return nil
}

// QuestionnaireRef pins the exact questionnaire file a document was answered against.
type QuestionnaireRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Enterprise is the profile of the diagnosed firm.
type Enterprise struct {
	Name           string   `json:"name"`
	CreditCode     string   `json:"credit_code"`
	Street         string   `json:"street,omitempty"`
	Categories     []string `json:"categories"`
	Industry       string   `json:"industry,omitempty"`
	ProductionType string   `json:"production_type"`
	Employees      int      `json:"employees,omitempty"`
	RevenueWan     float64  `json:"revenue_wan,omitempty"`
	Contact        string   `json:"contact,omitempty"`
	Phone          string   `json:"phone,omitempty"`
	Address        string   `json:"address,omitempty"`
	// The firm on paper, written by the consultant (all optional; documents without them stay valid).
	Products   string           `json:"products,omitempty"`    // main products, in the firm's words
	Processes  string           `json:"processes,omitempty"`   // main production processes
	PainPoints []string         `json:"pain_points,omitempty"` // problems as the firm's people put them
	Inventory  []InventoryEntry `json:"inventory,omitempty"`   // systems and equipment it runs
}

// InventoryEntry is one information system or kind of equipment the firm runs, as the consultant
// recorded it on site.
type InventoryEntry struct {
	Kind  string `json:"kind"`            // "system" or "equipment"
	Name  string `json:"name"`            // e.g. "ERP", "五轴加工中心"
	Model string `json:"model,omitempty"` // vendor, product or model
	Count int    `json:"count,omitempty"` // units (equipment); 0 when not counted
	Since int    `json:"since,omitempty"` // year in use since; 0 when unknown
	Note  string `json:"note,omitempty"`
}

// InventoryKinds are the valid InventoryEntry kinds.
var InventoryKinds = []string{"system", "equipment"}

// Assessor is the consultant who ran the diagnosis.
type Assessor struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Phone        string `json:"phone,omitempty"` // the consultant's contacts, printed in the report
	Email        string `json:"email,omitempty"`
}

// Answer is the answer to one item. Value's JSON type depends on the item: a scale or option key
// (string), a list of option keys (multi), or a number (number items and scenario levels).
type Answer struct {
	Value      json.RawMessage `json:"value"`
	Note       string          `json:"note,omitempty"`
	Evidence   []Evidence      `json:"evidence,omitempty"`
	AnsweredAt time.Time       `json:"answered_at"`
}

// Evidence is a file attached to an answer, stored in the workspace beside the document.
type Evidence struct {
	Name   string    `json:"name"`
	Path   string    `json:"path"`
	Size   int64     `json:"size"`
	SHA256 string    `json:"sha256"`
	Added  time.Time `json:"added"`
}

// NewDocument starts a draft for an enterprise on a questionnaire.
func NewDocument(q *questionnaires.Questionnaire, e Enterprise, a Assessor, now time.Time) (*Document, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Second)
	return &Document{
		Format:        Format,
		ID:            id.String(),
		Questionnaire: QuestionnaireRef{ID: q.ID, Version: q.Version, SHA256: q.SHA256},
		Enterprise:    e,
		Assessor:      a,
		Status:        StatusDraft,
		Created:       now,
		Updated:       now,
		Answers:       map[string]*Answer{},
	}, nil
}

// Decode parses a document and checks its envelope (format, id, status, profile). It does not need
// the questionnaire; CheckAgainst does the rest. Errors name the field; those of a malformed file
// are typed (usermsg), so each front end shows them in its user's language.
func Decode(data []byte) (*Document, error) {
	// One pass for the document and its format (the outer Format hides Document's, and tells an
	// absent format from an empty one). Only a document that fails it is read the two-pass way,
	// for the error: a newer format is then reported as such rather than as whatever does not fit
	// this version, and a field is named as it is in the document.
	d := new(Document)
	whole := struct {
		*Document
		Format *string `json:"format"`
	}{Document: d}
	if err := json.Unmarshal(data, &whole); err != nil {
		return decodeTwoPass(data)
	}
	if err := checkFormat(whole.Format); err != nil {
		return nil, err
	}
	d.Format = *whole.Format
	if err := d.checkEnvelope(); err != nil {
		return nil, err
	}
	return d, nil
}

// decodeTwoPass is Decode reading the format first, then the document: what Decode does for data
// that does not decode in one pass, for the same error.
func decodeTwoPass(data []byte) (*Document, error) {
	var head struct {
		Format *string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, JSONError(data, err)
	}
	if err := checkFormat(head.Format); err != nil {
		return nil, err
	}
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, JSONError(data, err)
	}
	if err := d.checkEnvelope(); err != nil {
		return nil, err
	}
	return &d, nil
}

// checkFormat accepts a format this version reads.
func checkFormat(f *string) error {
	if f == nil {
		return kindNoFormat.New()
	}
	major, err := formatMajor(*f)
	if err != nil {
		return err
	}
	if major > FormatMajor {
		return kindNewerFormat.Wrap(ErrNewerFormat, *f, Format)
	}
	return nil
}

func formatMajor(f string) (int, error) {
	rest, ok := strings.CutPrefix(f, FormatPrefix)
	if !ok {
		return 0, kindNotFormat.New(f)
	}
	majorStr, _, _ := strings.Cut(rest, ".")
	major, err := strconv.Atoi(majorStr)
	if err != nil || major < 1 {
		return 0, kindBadVersion.New(f)
	}
	return major, nil
}

// JSONError turns a decoding error into a typed error with the line number.
func JSONError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return kindTruncated.New()
	case errors.As(err, &se):
		return kindSyntax.New(canon.LineAt(data, se.Offset), se.Error())
	case errors.As(err, &te):
		return kindFieldType.New(te.Field, canon.LineAt(data, te.Offset), te.Type.String(), te.Value)
	}
	return kindUnparsable.New(err.Error())
}

func (d *Document) checkEnvelope() error {
	if _, err := uuid.Parse(d.ID); err != nil || d.ID == "" {
		return kindBadID.New(d.ID)
	}
	if d.Questionnaire.ID == "" || d.Questionnaire.Version == "" {
		return kindNoQRef.New()
	}
	switch d.Status {
	case StatusDraft, StatusFinished, StatusSealed:
	default:
		return kindBadStatus.New(d.Status)
	}
	if d.Status != StatusDraft && d.Finished == nil {
		return kindNoFinished.New(d.Status)
	}
	if d.TargetLevel < 0 || d.TargetLevel > 5 {
		return kindBadTarget.New(d.TargetLevel)
	}
	if err := d.SelfTest.check(); err != nil {
		return err
	}
	if d.Answers == nil {
		d.Answers = map[string]*Answer{}
	}
	for id, a := range d.Answers {
		if a == nil || (!a.HasValue() && a.Note == "" && len(a.Evidence) == 0) {
			return fmt.Errorf("答案 %s 是空的：既没有 value 也没有备注或附件", id)
		}
	}
	return d.Enterprise.Validate()
}

// Validate checks the profile fields; the message names the field in Chinese.
func (e *Enterprise) Validate() error {
	if strings.TrimSpace(e.Name) == "" {
		return fmt.Errorf("企业名称不能为空")
	}
	if err := ValidateCreditCode(e.CreditCode); err != nil {
		return err
	}
	// The categories are the district profile's target groups (questionnaires.District); a
	// document is read without the profile, so only their form is checked here.
	if len(e.Categories) == 0 {
		return fmt.Errorf("企业类别不能为空")
	}
	for i, c := range e.Categories {
		if strings.TrimSpace(c) != c || c == "" || utf8.RuneCountInString(c) > 30 || strings.ContainsAny(c, "、,，;；\n\t") {
			return fmt.Errorf("企业类别 %q 无效（应为区县画像中的类别名称）", c)
		}
		if slices.Contains(e.Categories[:i], c) {
			return fmt.Errorf("企业类别 %q 重复", c)
		}
	}
	if e.Industry != "" && questionnaires.IndustryName(e.Industry) == "" {
		return fmt.Errorf("行业代码 %q 无效：应为 GB/T 4754 制造业大类 13–43", e.Industry)
	}
	if questionnaires.ProductionTypeName(e.ProductionType) == e.ProductionType {
		return fmt.Errorf("生产类型 %q 无效（应为 discrete 离散型、process 流程型或 mixed 混合型）", e.ProductionType)
	}
	if e.Employees < 0 {
		return fmt.Errorf("从业人数不能为负数")
	}
	if e.RevenueWan < 0 || math.IsNaN(e.RevenueWan) || math.IsInf(e.RevenueWan, 0) {
		return fmt.Errorf("营业收入（万元）无效")
	}
	for i, p := range e.PainPoints {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("企业痛点第 %d 条为空", i+1)
		}
	}
	for i, it := range e.Inventory {
		switch {
		case !slices.Contains(InventoryKinds, it.Kind):
			return fmt.Errorf("设备与系统清单第 %d 条：类别 %q 无效（应为 system 系统或 equipment 设备）", i+1, it.Kind)
		case strings.TrimSpace(it.Name) == "":
			return fmt.Errorf("设备与系统清单第 %d 条：名称为空", i+1)
		case it.Count < 0:
			return fmt.Errorf("设备与系统清单第 %d 条（%s）：数量不能为负数", i+1, it.Name)
		case it.Since != 0 && (it.Since < 1950 || it.Since > 2100):
			return fmt.Errorf("设备与系统清单第 %d 条（%s）：启用年份 %d 无效", i+1, it.Name, it.Since)
		}
	}
	return nil
}

// Encode writes the document as indented JSON. Map keys are sorted, so equal documents encode to
// equal bytes.
func (d *Document) Encode() ([]byte, error) {
	if d.Seal != nil {
		return d.encodeSealed() // the sealed layout, so an unchanged sealed document stays valid
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Questionnaire finds the bundled questionnaire the document was answered against and checks that
// it is the same file.
func (d *Document) LoadQuestionnaire() (*questionnaires.Questionnaire, error) {
	q, err := questionnaires.Lookup(d.Questionnaire.ID, d.Questionnaire.Version)
	if err != nil {
		return nil, err
	}
	if d.Questionnaire.SHA256 != "" && d.Questionnaire.SHA256 != q.SHA256 {
		return nil, fmt.Errorf("问卷 %s %s 的内容与文档记录的不一致（校验值不同），请使用生成该文档的软件版本", q.ID, q.Version)
	}
	return q, nil
}

// Open decodes a document and checks it against its questionnaire.
func Open(data []byte) (*Document, *questionnaires.Questionnaire, error) {
	d, q, _, err := open(data, false)
	return d, q, err
}

// OpenValues is Open keeping the answer values it decoded (see CheckValues).
func OpenValues(data []byte) (*Document, *questionnaires.Questionnaire, *Values, error) {
	return open(data, true)
}

func open(data []byte, keep bool) (*Document, *questionnaires.Questionnaire, *Values, error) {
	d, err := Decode(data)
	if err != nil {
		return nil, nil, nil, err
	}
	q, err := d.LoadQuestionnaire()
	if err != nil {
		return nil, nil, nil, err
	}
	var vals *Values
	if keep {
		vals = newValues(q, d)
	}
	if err := d.check(q, vals); err != nil {
		return nil, nil, nil, err
	}
	return d, q, vals, nil
}
