package report

// labels holds every heading and fixed phrase of the report in Chinese and English. Item texts,
// guidance and notes stay as written in the questionnaire and the document.
var labels = map[string][2]string{
	"title":            {"智能制造能力成熟度诊断报告", "Smart-Manufacturing Maturity Diagnosis Report"},
	"title.points":     {"中小企业数字化水平诊断报告", "SME Digital-Level Diagnosis Report"},
	"programme":        {"江宁区「智改数转网联」免费诊断", "Jiangning free diagnosis: smart retrofit, digital transformation, networking"},
	"credit_code":      {"统一社会信用代码", "Unified social credit code"},
	"street":           {"所属街道", "Street"},
	"industry":         {"所属行业", "Industry"},
	"categories":       {"企业类别", "Categories"},
	"production_type":  {"生产类型", "Production type"},
	"date":             {"诊断日期", "Diagnosis date"},
	"provider":         {"诊断服务机构", "Service provider"},
	"consultant":       {"诊断顾问", "Consultant"},
	"report_id":        {"报告编号", "Report ID"},
	"questionnaire":    {"诊断问卷", "Questionnaire"},
	"employees":        {"从业人数", "Employees"},
	"revenue":          {"营业收入（万元）", "Revenue (10k CNY)"},
	"draft_mark":       {"草稿：诊断尚未完成，结果仅供参考", "DRAFT: the diagnosis is not finished"},
	"cover_note":       {"本报告依据现场诊断记录生成，诊断文档已作为附件嵌入本文件。", "Generated from the on-site record; the diagnosis document is embedded in this file as an attachment."},
	"page":             {"第 %d 页 / 共 %s 页", "Page %d of %s"},
	"s.summary":        {"诊断摘要", "Executive summary"},
	"s.firm":           {"企业概况", "The firm"},
	"s.maturity":       {"成熟度详情", "Maturity in detail"},
	"s.tracks":         {"智改数转网联现状", "Retrofit, digital and networking status"},
	"s.findings":       {"分子域诊断发现", "Findings by sub-domain"},
	"s.plan":           {"改进项目与路线图", "Projects and roadmap"},
	"s.kpi":            {"关键指标对比", "Key indicators"},
	"s.policy":         {"政策指引", "Policy pointers"},
	"s.method":         {"评估方法说明", "Method"},
	"s.appendix":       {"附录二　全部答题记录", "Appendix 2: all answers"},
	"s.actions":        {"附录一　", "Appendix 1: "},
	"s.actions.title":  {"改进措施清单", "List of actions"},
	"s.sign":           {"确认签字", "Signatures"},
	"level":            {"成熟度等级", "Maturity level"},
	"level.points":     {"数字化水平等级", "Digital level"},
	"estimate":         {"估算", "estimate"},
	"score":            {"得分", "Score"},
	"target":           {"目标等级", "Target level"},
	"track_index":      {"智改数转网联指数", "Track indices"},
	"top5":             {"优先改进事项（前五项）", "Top five priorities"},
	"rank":             {"序号", "No."},
	"action":           {"改进措施", "Action"},
	"subdomain":        {"能力子域", "Sub-domain"},
	"section":          {"评测部分", "Part"},
	"phase":            {"阶段", "Phase"},
	"track":            {"类别", "Track"},
	"scenario":         {"典型场景", "Scenario"},
	"quickwin":         {"速效", "Quick win"},
	"weight":           {"权重", "Weight"},
	"level_scores":     {"各能力子域分级得分（满分 1，达标线 %.1f）", "Sub-domain score at each level (max 1, threshold %.1f)"},
	"radar":            {"能力域得分雷达图（0–5）", "Domain scores (0–5)"},
	"radar.current":    {"当前", "Current"},
	"radar.target":     {"目标", "Target"},
	"radar.bench":      {"江苏规上企业平均（参照）", "Jiangsu average (reference)"},
	"elements":         {"能力要素得分（0–5）", "Element scores (0–5)"},
	"points_table":     {"各部分得分", "Score by part"},
	"scenario_table":   {"数字化经营场景评级", "Digital-operation scenarios"},
	"has":              {"已具备", "In place"},
	"needs":            {"待完成的里程碑", "Milestones still needed"},
	"none_yet":         {"暂无", "None yet"},
	"met":              {"满足", "met"},
	"partly":           {"部分满足", "partly met"},
	"notmet":           {"未满足", "not met"},
	"notes":            {"顾问备注", "Consultant notes"},
	"gaps":             {"主要差距", "Main gaps"},
	"strengths":        {"做得较好的方面", "Strengths"},
	"kpi":              {"指标", "Indicator"},
	"kpi.value":        {"本企业", "This firm"},
	"kpi.ref":          {"全国参照值", "National reference"},
	"kpi.unit":         {"单位", "Unit"},
	"kpi.none":         {"未填写", "not given"},
	"kpi.noref":        {"暂无可靠参照", "no reliable reference"},
	"policy.met":       {"已满足条件", "Condition met"},
	"policy.target":    {"达到目标等级后满足", "Met at the target level"},
	"policy.later":     {"更高等级后满足", "Needs a higher level"},
	"rec_scenarios":    {"建议建设的典型场景", "Typical scenarios to build"},
	"item":             {"题号", "Item"},
	"requirement":      {"要求", "Requirement"},
	"answer":           {"回答", "Answer"},
	"note":             {"备注", "Note"},
	"unanswered":       {"未回答", "unanswered"},
	"hidden":           {"（不适用本企业）", "(not applicable)"},
	"sign.consultant":  {"诊断顾问（签字）", "Consultant (signature)"},
	"sign.enterprise":  {"企业代表（签字）", "Enterprise representative (signature)"},
	"sign.date":        {"日期", "Date"},
	"sign.text":        {"企业已知悉本报告的诊断结果与改进建议。", "The enterprise has read the findings and recommendations of this report."},
	"reference_note":   {"标注「参照」的数值来自公开资料的转引，仅供比较。", "Values marked reference come from secondary public sources and are for comparison only."},
	"excluded_note":    {"顾问已调整的措施按调整后的阶段列出。", "Actions adjusted by the consultant appear in their adjusted phase."},
	"confirmed":        {"企业代表 %s 已于 %s 确认诊断结果。", "Confirmed by %s on %s."},
	"programme_goal":   {"江宁区目标", "District goal"},
	"kpi_note":         {"参照值来源：%s", "Reference source: %s"},
	"projects":         {"改进项目", "Projects"},
	"projects_total":   {"%d 个项目投资合计 %s–%s 万元（按企业规模档估算，以服务商方案为准；扣除补贴后的金额待政策资格核定后给出）。", "%d projects, total investment %s–%s (10k yuan), estimated for the firm's size band; providers' proposals govern. The figure net of subsidies follows once policy eligibility is established."},
	"project":          {"项目", "Project"},
	"start":            {"起步", "Starts"},
	"months":           {"工期（月）", "Months"},
	"invest":           {"投资（万元）", "Investment (10k yuan)"},
	"actions_n":        {"措施数", "Actions"},
	"benefits":         {"预期效益", "Benefits"},
	"kpi_checks":       {"指标提示（请核对）", "KPI notes (please check)"},
	"plan_target":      {"计划以%s为目标，分 %d 个项目实施，共 %d 项措施（其中速效措施 %d 项；近期 %d 项、中期 %d 项、远期 %d 项）。每项措施的内容见附录一，编号与下文一致。", "The plan aims at %s through %d projects and %d actions (%d quick wins; %d near-term, %d mid-term, %d long-term). Appendix 1 lists the actions under the numbers used below."},
	"level_by":         {"分级得分", "Level scores"},
	"answers_by":       {"作答", "Answers"},
	"also_met":         {"另有 %d 项全部满足：%s", "%d more fully met: %s"},
	"also_gaps":        {"另有 %d 项未全部满足（全文见附录二）：%s", "%d more not fully met (full text in appendix 2): %s"},
	"ceiling_note":     {"本问卷的题目只覆盖到%s，因此只列出到该级的得分，等级最高估到该级；更高等级需做完整诊断。「—」表示该子域在该级没有适用的题目。", "This questionnaire asks items up to %s, so scores are shown up to it and the level is estimated no higher; a full diagnosis is needed above it. \"—\" means no applicable item at that level."},
	"project_scope":    {"项目建设内容与服务商类型", "Project scope and kind of provider"},
	"gain":             {"提升", "Gain"},
	"scope":            {"建设内容", "Scope"},
	"provider_kind":    {"服务商类型", "Kind of provider"},
	"see_actions":      {"对应措施（附录一）", "Actions (appendix 1)"},
	"comment":          {"顾问说明", "Consultant comment"},
	"custom":           {"顾问补充", "Added by consultant"},
	"scenarios_levels": {"一级及以上 %d 个，二级及以上 %d 个，三级及以上 %d 个，四级 %d 个", "level 1+: %d, level 2+: %d, level 3+: %d, level 4: %d"},
}

func (r *renderer) L(key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if r.en {
		return l[1]
	}
	return l[0]
}

// AppendixMarker is the heading that starts the appendices, where the body of the report ends
// (scripts/similarity measures the body only).
func AppendixMarker(lang string) string {
	// The title without its "附录一" prefix: pdftotext may set the two apart.
	if lang == "en" {
		return labels["s.actions.title"][1]
	}
	return labels["s.actions.title"][0]
}

var cnNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}
