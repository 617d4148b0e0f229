// Package demo generates realistic synthetic diagnoses for trying the app, demonstrating reports and
// load-testing the district tally. Output depends only on the seed.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// Options control a batch of demo documents.
type Options struct {
	Count int
	Seed  uint64
	// Questionnaire to answer; nil picks cmmm-full.
	Questionnaire *q.Questionnaire
	// District is the profile whose streets, categories and address the firms get; nil is the
	// bundled one.
	District *q.District
}

// trueLevelShares is the share of firms at each true level 0–5. The bundled benchmark for Jiangsu
// 规上 firms (2022) gives 一级, 二级, 三级 and 四级及以上; the rest are taken as 未达一级, and 四级及以上
// is split 5:1 between 四级 and 五级 (an assumption of the demo only).
func trueLevelShares() [6]float64 {
	var shares [6]float64
	b := q.BundledBenchmarks()
	for _, dist := range b.CMMMDistributions {
		if dist.ID != "jiangsu-above-size-2022" {
			continue
		}
		total := 0.0
		for _, s := range dist.Shares {
			total += s.Share
			switch {
			case len(s.Levels) == 1:
				shares[s.Levels[0]] += s.Share
			case slices.Equal(s.Levels, []int{4, 5}):
				shares[4] += s.Share * 5 / 6
				shares[5] += s.Share / 6
			default:
				for _, l := range s.Levels {
					shares[l] += s.Share / float64(len(s.Levels))
				}
			}
		}
		shares[0] += max(0, 1-total)
		return shares
	}
	return [6]float64{0.2, 0.36, 0.24, 0.14, 0.05, 0.01}
}

// Generate returns count finished documents.
func Generate(opt Options) ([]*assessment.Document, error) {
	qn := opt.Questionnaire
	if qn == nil {
		var err error
		if qn, err = q.Lookup("cmmm-full", ""); err != nil {
			return nil, err
		}
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed_d1a6))
	g := newGen(r, qn, opt.District)
	out := make([]*assessment.Document, 0, opt.Count)
	for range opt.Count {
		d, err := g.document()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

type gen struct {
	district *q.District
	trade    []string // words for firm names, without the bundled district's own place name elsewhere
	r        *rand.Rand
	qn       *q.Questionnaire
	names    map[string]bool
	shares   [6]float64
}

func newGen(r *rand.Rand, qn *q.Questionnaire, d *q.District) *gen {
	g := &gen{r: r, qn: qn, names: map[string]bool{}, shares: trueLevelShares(), district: d, trade: tradeNames}
	bundled := q.BundledDistrict()
	if d == nil {
		g.district = bundled
	} else if d.Name != bundled.Name {
		// Firm names of another district do not carry the bundled district's place name.
		g.trade = slices.DeleteFunc(slices.Clone(tradeNames), func(w string) bool { return strings.Contains(bundled.Name, w) })
	}
	return g
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) trueLevel() int {
	x := g.r.Float64()
	for l, s := range g.shares {
		if x < s {
			return l
		}
		x -= s
	}
	return 1
}

// industry pairs a GB/T 4754 division with words for firm names and its usual production type.
type industry struct {
	code, pt string
	words    []string
	weight   int
}

var industriesMix = []industry{
	{"34", "discrete", []string{"精密机械", "通用设备", "流体机械", "传动设备"}, 12},
	{"35", "discrete", []string{"智能装备", "专用设备", "自动化设备", "医疗器械"}, 10},
	{"36", "discrete", []string{"汽车零部件", "汽车电子", "车身部件"}, 12},
	{"38", "discrete", []string{"电气", "电力设备", "新能源科技", "电机"}, 12},
	{"39", "discrete", []string{"电子科技", "通信技术", "微电子", "光电"}, 12},
	{"40", "discrete", []string{"仪器仪表", "测控技术"}, 5},
	{"33", "discrete", []string{"金属制品", "钣金", "五金"}, 7},
	{"29", "mixed", []string{"塑胶", "橡塑制品", "新材料"}, 6},
	{"26", "process", []string{"化工", "精细化学", "涂料"}, 6},
	{"27", "process", []string{"药业", "生物医药", "制药"}, 6},
	{"30", "process", []string{"建材", "新型材料", "玻璃"}, 4},
	{"14", "process", []string{"食品", "乳业", "调味品"}, 4},
	{"22", "process", []string{"纸业", "包装"}, 2},
	{"37", "discrete", []string{"轨道交通装备", "航空部件"}, 2},
}

var tradeNames = []string{"恒拓", "汇川", "金宏", "瑞泰", "中创", "天润", "宏图", "东禾", "博远", "华晟", "越达", "新科",
	"嘉利", "固德", "启航", "明德", "鼎盛", "永安", "联创", "凯瑞", "卓尔", "正大", "云帆", "方正", "秦淮", "牛首",
	"方山", "将军", "汤泉", "江宁", "麒麟", "禄丰", "睿智", "合力", "佳和", "诚信", "宁远", "九华", "紫金", "银杏"}

var contacts = []string{"王建国", "李红", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "周敏", "吴强", "孙丽", "朱军", "徐涛"}

var assessors = []assessment.Assessor{
	{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司（示例）"},
	{Name: "顾晓燕", Organisation: "江苏智造诊断服务有限公司（示例）"},
	{Name: "钱志明", Organisation: "南京工业互联网服务中心（示例）"},
	{Name: "何佳", Organisation: "南京工业互联网服务中心（示例）"},
}

// Organisations are the demo service providers (their names end in （示例）).
func Organisations() []string {
	var out []string
	for _, a := range assessors {
		if !slices.Contains(out, a.Organisation) {
			out = append(out, a.Organisation)
		}
	}
	return out
}

// Notes a consultant might leave, by how well the requirement is met.
var notesByScore = map[string][]string{
	"full": {"现场查看系统界面与近三个月记录，执行到位。", "抽查三份记录，内容完整，责任人签字齐全。", "已在车间现场核实，与制度描述一致。"},
	"most": {"主要产线已实施，二车间仍在推进中，预计年内完成。", "记录基本完整，个别月份缺少审核签字。", "系统已上线，少数环节仍有手工补录。"},
	"part": {"仅试点产线实施，其他产线仍使用纸质单据。", "已有制度文件，但现场抽查发现执行不一致。", "数据需每周人工导出汇总，时效性不足。"},
	"none": {"企业表示计划明年启动，目前无相关安排。", "现场未见相关记录，负责人称由外协单位处理。", "该项尚未开展，建议纳入近期改进计划。"},
	"na":   {"企业不涉及该业务，按不适用处理。", "产品为标准件，无此环节。"},
}

func (g *gen) document() (*assessment.Document, error) {
	ind := g.industry()
	e := assessment.Enterprise{
		Name:           g.firmName(ind),
		CreditCode:     g.creditCode(),
		Street:         g.pick(g.district.Streets),
		Categories:     g.categories(),
		Industry:       ind.code,
		ProductionType: ind.pt,
		Contact:        g.pick(contacts),
		Phone:          fmt.Sprintf("1%d%09d", 3+g.r.IntN(7), g.r.IntN(1_000_000_000)),
	}
	if g.r.IntN(10) == 0 {
		e.ProductionType = "mixed"
	}
	switch {
	case slices.Contains(e.Categories, g.largeCategory()):
		e.Employees = 80 + g.r.IntN(1500)
		e.RevenueWan = float64(2000 + g.r.IntN(200000))
	default:
		e.Employees = 10 + g.r.IntN(200)
		e.RevenueWan = float64(300 + g.r.IntN(5000))
	}
	e.Address = fmt.Sprintf("%s%s%s路%d号", g.district.AddressPrefix(), e.Street, g.pick([]string{"天元", "胜太", "秣周", "将军", "诚信", "金源", "苏源", "清水亭"}), 1+g.r.IntN(300))
	describe(&e)

	created := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC).Add(time.Duration(g.r.IntN(240*24)) * time.Hour).Add(time.Duration(g.r.IntN(3600)) * time.Second)
	d := g.draft(e, created)
	g.answer(d, created)
	if err := d.Finish(g.qn, d.Updated.Add(10*time.Minute)); err != nil {
		return nil, fmt.Errorf("demo: %v", err)
	}
	return d, nil
}

// draft is an empty draft for an enterprise, with a seeded id and assessor.
func (g *gen) draft(e assessment.Enterprise, created time.Time) *assessment.Document {
	return &assessment.Document{
		Format:        assessment.Format,
		ID:            g.uuidV7(created),
		Questionnaire: assessment.QuestionnaireRef{ID: g.qn.ID, Version: g.qn.Version, SHA256: g.qn.SHA256},
		Enterprise:    e,
		Assessor:      assessors[g.r.IntN(len(assessors))],
		Status:        assessment.StatusDraft,
		Created:       created,
		Updated:       created,
		Answers:       map[string]*assessment.Answer{},
	}
}

func (g *gen) industry() industry {
	total := 0
	for _, in := range industriesMix {
		total += in.weight
	}
	x := g.r.IntN(total)
	for _, in := range industriesMix {
		if x < in.weight {
			return in
		}
		x -= in.weight
	}
	return industriesMix[0]
}

func (g *gen) firmName(ind industry) string {
	for {
		word := g.pick(ind.words)
		suffix := g.pick([]string{"有限公司", "股份有限公司", "科技有限公司"})
		if strings.Contains(word, "科技") || strings.Contains(word, "技术") {
			suffix = strings.TrimPrefix(suffix, "科技")
		}
		n := "南京" + g.pick(g.trade) + word + suffix
		if !g.names[n] {
			g.names[n] = true
			return n
		}
		// Two trade names make the space large enough for thousands of firms.
		n = "南京" + g.pick(g.trade) + g.pick(g.trade) + g.pick(ind.words) + "有限公司"
		if !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// creditCode makes a valid-looking code registered in Jiangning: 9 (工商) 1 (企业) 320115 (区划)
// then 9 random characters of the alphabet, then the check character.
func (g *gen) creditCode() string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91320115")
	for range 9 {
		b = append(b, alphabet[g.r.IntN(len(alphabet))])
	}
	c, _ := assessment.CreditCheckChar(string(b))
	return string(append(b, c))
}

func (g *gen) categories() []string {
	// The profile's first three categories in the bundled proportions (规上 55%, 高成长 23%, 新开工
	// 22%); further categories share the last part.
	cats := g.district.CategoryKeys()
	if len(cats) == 0 {
		return nil
	}
	cat := func(i int) string { return cats[min(i, len(cats)-1)] }
	var out []string
	x := g.r.Float64()
	switch {
	case x < 0.55:
		out = []string{cat(0)}
		if g.r.IntN(4) == 0 && len(cats) > 1 {
			out = append(out, cat(1))
		}
	case x < 0.78:
		out = []string{cat(1)}
	default:
		out = []string{cat(2)}
		if len(cats) > 3 {
			out = []string{cats[2+g.r.IntN(len(cats)-2)]}
		}
	}
	return out
}

// largeCategory is the category of the larger firms (规上工业企业 in the bundled profile): the
// profile's first.
func (g *gen) largeCategory() string {
	if len(g.district.Categories) == 0 {
		return ""
	}
	return g.district.Categories[0].Key
}

// uuidV7 builds a version-7 UUID from the creation time and the seeded generator, so the same seed
// gives the same ids.
func (g *gen) uuidV7(t time.Time) string {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	for i := 6; i < 16; i++ {
		u[i] = byte(g.r.UintN(256))
	}
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u.String()
}

// answer fills every relevant item coherently with a true level: requirements at or below it are
// mostly met, the next level a little, higher levels hardly at all.
func (g *gen) answer(d *assessment.Document, start time.Time) {
	if g.qn.AI != nil {
		g.answerAI(d, start)
		return
	}
	level := g.trueLevel()
	strength := g.r.NormFloat64() * 0.04 // a firm is a bit better or worse than its level's average
	at := start
	// A required item's when: may depend on a KPI answer, and KPIs come last: answer in passes
	// until no newly relevant item is left unanswered.
	for {
		n := len(d.Answers)
		at = g.answerPass(d, at, level, strength)
		if len(d.Answers) == n {
			return
		}
	}
}

func (g *gen) answerPass(d *assessment.Document, at time.Time, level int, strength float64) time.Time {
	for _, it := range g.qn.Items() {
		if d.Answers[it.ID] != nil || !assessment.Relevant(g.qn, d)[it.ID] {
			continue
		}
		at = at.Add(time.Duration(20+g.r.IntN(160)) * time.Second)
		var val any
		var noteKey string
		switch it.Type {
		case q.TypeScale:
			val, noteKey = g.scale(it.Level, level, strength)
		case q.TypeSingle:
			i := g.index(len(it.Options), level)
			val, noteKey = it.Options[i].Key, ""
		case q.TypeMulti:
			val = g.multi(it, level)
		case q.TypeNumber:
			val = g.number(it, level)
		case q.TypeScenario:
			lv := min(len(g.qn.Points.ScenarioLevels), max(0, level-1+g.r.IntN(3)))
			val = lv
		}
		if err := d.SetAnswer(g.qn, it.ID, val, at); err != nil {
			panic(fmt.Sprintf("demo produced an invalid answer: %v", err)) // a bug in this generator
		}
		if noteKey != "" && g.r.IntN(6) == 0 {
			d.SetNote(it.ID, g.pick(notesByScore[noteKey]), at)
		}
	}
	return at
}

func (g *gen) scale(itemLevel, trueLevel int, strength float64) (string, string) {
	if g.r.IntN(40) == 0 {
		return "na", "na"
	}
	var p [4]float64 // full, most, part, none
	switch {
	case itemLevel <= trueLevel:
		p = [4]float64{0.68, 0.27, 0.04, 0.01}
	case itemLevel == trueLevel+1:
		p = [4]float64{0.12, 0.22, 0.33, 0.33}
	default:
		p = [4]float64{0.01, 0.04, 0.15, 0.8}
	}
	p[0] = math.Max(0, p[0]+strength)
	p[3] = math.Max(0, p[3]-strength)
	keys := [4]string{"full", "most", "part", "none"}
	x := g.r.Float64() * (p[0] + p[1] + p[2] + p[3])
	for i, pi := range p {
		if x < pi {
			return keys[i], keys[i]
		}
		x -= pi
	}
	return "none", "none"
}

// index picks an option index that grows with the level, with some noise.
func (g *gen) index(n, level int) int {
	i := int(math.Round(float64(level)/5*float64(n-1))) + g.r.IntN(3) - 1
	return min(n-1, max(0, i))
}

func (g *gen) number(it *q.Item, level int) float64 {
	lo, hi := *it.Min, *it.Max
	f := (float64(level)+0.5)/6 + g.r.NormFloat64()*0.08
	if it.Benchmark == "kpi_energy_per_output" || it.Benchmark == "kpi_energy_intensity" {
		f = 1 - f // better firms use less energy per output
		hi = lo + (hi-lo)*0.3
	}
	if it.Unit == "%" && hi > 100 {
		hi = 100
	}
	v := lo + math.Min(1, math.Max(0, f))*(hi-lo)
	if it.Unit == "个" {
		return math.Round(v)
	}
	return math.Round(v*10) / 10
}
