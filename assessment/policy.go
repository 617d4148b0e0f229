package assessment

import (
	"fmt"
	"math"
	"time"

	q "smartdiag/questionnaires"
)

// Policy statuses, from best to worst for the firm. The report prints each with its reasons.
const (
	PolicyMet      = "met"      // every condition is met by a formal (not estimated) result
	PolicyAtTarget = "target"   // met once the plan's target level is reached
	PolicyVerify   = "verify"   // may be met, but something must be verified or is missing
	PolicyNotMet   = "not_met"  // a condition is not met, even at the target level
	PolicyExcluded = "excluded" // the rules exclude this firm (e.g. not an SME)
	PolicyExpired  = "expired"  // the application period has ended
)

// policyRank orders statuses: the worst condition decides a policy's status.
var policyRank = map[string]int{PolicyMet: 0, PolicyAtTarget: 1, PolicyVerify: 2, PolicyNotMet: 3, PolicyExcluded: 4, PolicyExpired: 5}

// LevelFact is a level known about the firm and how far it can be trusted.
type LevelFact struct {
	Level    int
	Estimate bool   // an estimate (quick scan, on-site SME estimate): never enough on its own
	Source   string // where it comes from, in Chinese
	Target   int    // the plan's target level for this kind, 0 when the plan does not aim at it
}

// PolicyFacts is everything the policy conditions can use about one firm.
type PolicyFacts struct {
	Levels          map[string]*LevelFact // by requirement kind: cmmm_level, sme_level, ai_level
	SelfTestPoints  *float64
	AIScenarioShare *float64
	// AIShareEstimated: AIScenarioShare is this diagnosis's own estimate (an ai questionnaire,
	// counting only its scenarios), not a self-test result, so it can never meet a condition.
	AIShareEstimated bool
	Employees        int
	RevenueWan       float64
	Date             time.Time // the day eligibility is judged
}

// FactsFor gathers the facts from a scored diagnosis: the level it measures (marked as an estimate
// when the questionnaire is one), the provincial self-test results the firm reports, and its size.
func FactsFor(qn *q.Questionnaire, d *Document, r *Result, target int, date time.Time) PolicyFacts {
	f := PolicyFacts{Levels: map[string]*LevelFact{}, Employees: d.Enterprise.Employees, RevenueWan: d.Enterprise.RevenueWan, Date: date}
	if kind := qn.MeasuredLevel(); kind != "" && r.Complete {
		src := "本次诊断（" + qn.Title + "）"
		f.Levels[kind] = &LevelFact{Level: r.Level, Estimate: qn.Estimate, Source: src, Target: target}
	}
	if st := d.SelfTest; st != nil {
		f.SelfTestPoints, f.AIScenarioShare = st.DigitalPoints, st.AIScenarioShare
		// A provincial self-test result is what the application uses; it replaces an estimate.
		for kind, lv := range map[string]int{q.ReqCMMMLevel: st.SmartFactoryLevel, q.ReqAILevel: st.AIScenarioLevel, q.ReqSMELevel: st.SMELevel} {
			if cur := f.Levels[kind]; lv > 0 && (cur == nil || cur.Estimate) {
				t := 0
				if cur != nil {
					t = cur.Target
				}
				src := "企业报告的省平台自评测结果"
				if kind == q.ReqSMELevel {
					src = "第三方现场评测结果"
				}
				f.Levels[kind] = &LevelFact{Level: lv, Source: src, Target: t}
			}
		}
	}
	// Without a self-test share, the share this diagnosis measured is shown as an estimate rather
	// than reported missing beside the share the report prints.
	if f.AIScenarioShare == nil && r.AI != nil && r.Complete && r.AI.Built > 0 {
		v := round(100*r.AI.Share, 1)
		f.AIScenarioShare, f.AIShareEstimated = &v, true
	}
	return f
}

// PolicyResult is one policy with its status for the firm and the reasons.
type PolicyResult struct {
	q.Policy
	Status  string
	Reasons []string // in Chinese: what is missing, to verify, or not met
	// ReasonsEN are the same reasons in English, for the English report.
	ReasonsEN []string
}

var kindName = map[string]string{
	q.ReqCMMMLevel:       "智能制造能力成熟度等级",
	q.ReqSMELevel:        "中小企业数字化水平等级",
	q.ReqAILevel:         "人工智能应用等级",
	q.ReqSelfTestPoints:  "江苏省数字化转型通用能力自评测得分",
	q.ReqAIScenarioShare: "人工智能场景应用占比",
}

var kindNameEN = map[string]string{
	q.ReqCMMMLevel:       "CMMM level",
	q.ReqSMELevel:        "SME digital level",
	q.ReqAILevel:         "AI application level",
	q.ReqSelfTestPoints:  "Jiangsu digital-transformation self-test points",
	q.ReqAIScenarioShare: "share of AI scenarios",
}

var levelWords = []string{"未达一级", "一级", "二级", "三级", "四级", "五级"}

func levelWord(l int) string {
	if l >= 0 && l < len(levelWords) {
		return levelWords[l]
	}
	return fmt.Sprint(l)
}

// EvaluatePolicies judges each policy against the facts. A condition that rests on an estimate, or
// on a fact nobody has reported, is never 已满足: it is "verify", naming what is missing.
func EvaluatePolicies(policies []q.Policy, f PolicyFacts) []PolicyResult {
	out := make([]PolicyResult, 0, len(policies))
	for _, p := range policies {
		res := PolicyResult{Policy: p, Status: PolicyMet}
		worse := func(status, reason, en string) {
			if policyRank[status] > policyRank[res.Status] {
				res.Status = status
			}
			res.Reasons = append(res.Reasons, reason)
			res.ReasonsEN = append(res.ReasonsEN, en)
		}
		day := f.Date.Format(time.DateOnly)
		if p.ValidUntil != "" && day > p.ValidUntil {
			worse(PolicyExpired, fmt.Sprintf("申报期已于 %s 结束", p.ValidUntil), fmt.Sprintf("the application period ended on %s", p.ValidUntil))
		}
		if p.ValidFrom != "" && day < p.ValidFrom {
			worse(PolicyNotMet, fmt.Sprintf("申报期自 %s 开始", p.ValidFrom), fmt.Sprintf("the application period starts on %s", p.ValidFrom))
		}
		for _, req := range p.Requires {
			switch req.Kind {
			case q.ReqSMESize:
				switch isSME(f.Employees, f.RevenueWan, req) {
				case smeNo:
					worse(PolicyExcluded, fmt.Sprintf("从业人员 %d 人且营业收入 %g 万元，均不低于中小企业上限（%d 人、%g 万元），不属于中小企业", f.Employees, f.RevenueWan, req.MaxEmployees, req.MaxRevenueWan),
						fmt.Sprintf("%d staff and revenue of %g wan yuan are both at or above the SME limits (%d staff, %g wan yuan): not an SME", f.Employees, f.RevenueWan, req.MaxEmployees, req.MaxRevenueWan))
				case smeUnknown:
					worse(PolicyVerify, fmt.Sprintf("需核实企业规模：从业人员或营业收入未填写（中小企业为从业人员 %d 人以下或营业收入 %g 万元以下）", req.MaxEmployees, req.MaxRevenueWan),
						fmt.Sprintf("verify the firm's size: staff or revenue not given (an SME has fewer than %d staff or revenue under %g wan yuan)", req.MaxEmployees, req.MaxRevenueWan))
				}
			case q.ReqSelfTestPoints, q.ReqAIScenarioShare:
				v := f.SelfTestPoints
				unit := "分"
				if req.Kind == q.ReqAIScenarioShare {
					v, unit = f.AIScenarioShare, "%"
				}
				estimated := req.Kind == q.ReqAIScenarioShare && f.AIShareEstimated
				switch {
				case v == nil:
					worse(PolicyVerify, fmt.Sprintf("缺少%s（需不低于 %g%s）", kindName[req.Kind], req.Min, unit), fmt.Sprintf("%s not reported (at least %g needed)", kindNameEN[req.Kind], req.Min))
				case estimated && *v < req.Min:
					worse(PolicyNotMet, fmt.Sprintf("%s本次诊断估算为 %g%s（只计本问卷列出的场景），需不低于 %g%s", kindName[req.Kind], *v, unit, req.Min, unit),
						fmt.Sprintf("%s estimated at %g%% by this diagnosis (its scenarios only), at least %g%% needed", kindNameEN[req.Kind], *v, req.Min))
				case estimated:
					worse(PolicyVerify, fmt.Sprintf("%s本次诊断估算为 %g%s（只计本问卷列出的场景），需以省平台自评测结果确认不低于 %g%s", kindName[req.Kind], *v, unit, req.Min, unit),
						fmt.Sprintf("%s estimated at %g%% by this diagnosis (its scenarios only): the provincial self-test must confirm at least %g%%", kindNameEN[req.Kind], *v, req.Min))
				case *v < req.Min:
					worse(PolicyNotMet, fmt.Sprintf("%s为 %g%s，需不低于 %g%s", kindName[req.Kind], *v, unit, req.Min, unit), fmt.Sprintf("%s is %g, at least %g needed", kindNameEN[req.Kind], *v, req.Min))
				}
			case q.ReqCMMMLevel, q.ReqSMELevel, q.ReqAILevel:
				min := int(req.Min)
				lf := f.Levels[req.Kind]
				switch {
				case lf == nil:
					worse(PolicyVerify, fmt.Sprintf("缺少%s（需达到%s），本次诊断未测该等级", kindName[req.Kind], levelWord(min)), fmt.Sprintf("no %s (level %d needed): this diagnosis does not measure it", kindNameEN[req.Kind], min))
				case lf.Level >= min && lf.Estimate:
					worse(PolicyVerify, fmt.Sprintf("%s估算为%s（%s），需经正式评测确认达到%s", kindName[req.Kind], levelWord(lf.Level), lf.Source, levelWord(min)), fmt.Sprintf("%s estimated at level %d: a formal assessment must confirm level %d", kindNameEN[req.Kind], lf.Level, min))
				case lf.Level >= min:
				case lf.Target >= min:
					worse(PolicyAtTarget, fmt.Sprintf("%s目前为%s，达到目标%s后满足", kindName[req.Kind], levelWord(lf.Level), levelWord(lf.Target)), fmt.Sprintf("%s is %d now; met at the target level %d", kindNameEN[req.Kind], lf.Level, lf.Target))
				default:
					worse(PolicyNotMet, fmt.Sprintf("%s为%s，需达到%s", kindName[req.Kind], levelWord(lf.Level), levelWord(min)), fmt.Sprintf("%s is %d, level %d needed", kindNameEN[req.Kind], lf.Level, min))
				}
			}
		}
		out = append(out, res)
	}
	return out
}

type smeAnswer int

const (
	smeUnknown smeAnswer = iota
	smeYes
	smeNo
)

// isSME applies the size rule the requirement carries (中小企业划型标准规定 for industry: small or
// medium when staff < 1,000 or revenue < 40,000万元). Zero means not filled in.
func isSME(employees int, revenueWan float64, req q.Requirement) smeAnswer {
	if (employees > 0 && employees < req.MaxEmployees) || (revenueWan > 0 && revenueWan < req.MaxRevenueWan) {
		return smeYes
	}
	if employees >= req.MaxEmployees && revenueWan >= req.MaxRevenueWan {
		return smeNo
	}
	return smeUnknown
}

// Subsidy is what the eligible policies pay toward the plan's projects and what the firm pays net
// of them. Only policies whose eligibility is established (PolicyMet) count: a policy still to be
// verified or met only at the target level pays nothing yet.
type Subsidy struct {
	Policies []string   `json:"subsidy_policies"` // ids of the policies counted
	Wan      [2]float64 `json:"subsidy_wan"`      // the most they pay on the low and high investment
	Net      [2]float64 `json:"net_of_subsidy_wan"`
}

// SubsidyFor applies the eligible policies' subsidies to an investment range. It returns nil when
// no policy with a subsidy is met, so that no net figure is printed without established eligibility.
func SubsidyFor(results []PolicyResult, invest [2]float64) *Subsidy {
	type pick struct {
		id  string
		sub *q.Subsidy
	}
	base := map[string]pick{} // by scheme: the alternative paying most
	var extra []pick          // bonuses and policies of no scheme
	var schemes []string
	for _, p := range results {
		if p.Status != PolicyMet || p.Subsidy == nil {
			continue
		}
		s := p.Subsidy
		if s.Bonus || s.Scheme == "" {
			extra = append(extra, pick{p.ID, s})
			continue
		}
		cur, ok := base[s.Scheme]
		if !ok {
			schemes = append(schemes, s.Scheme)
		}
		if !ok || s.Amount(invest[1]) > cur.sub.Amount(invest[1]) {
			base[s.Scheme] = pick{p.ID, s}
		}
	}
	var picks []pick
	for _, sc := range schemes {
		picks = append(picks, base[sc])
	}
	for _, e := range extra {
		if e.sub.Bonus {
			if _, ok := base[e.sub.Scheme]; !ok {
				continue // a bonus pays only on top of its scheme's subsidy
			}
		}
		picks = append(picks, e)
	}
	if len(picks) == 0 {
		return nil
	}
	out := &Subsidy{}
	for _, pk := range picks {
		out.Policies = append(out.Policies, pk.id)
		for i := range invest {
			out.Wan[i] += pk.sub.Amount(invest[i])
		}
	}
	for i := range invest {
		out.Wan[i] = math.Min(out.Wan[i], invest[i])
		out.Net[i] = invest[i] - out.Wan[i]
	}
	return out
}
