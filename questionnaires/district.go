package questionnaires

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"smartdiag/regfile"
	"smartdiag/usermsg"
)

var errProfileUnreadable = usermsg.Define("district.profile_unreadable",
	"%s：无法读取区县画像：%s", "%s: cannot read the district profile: %s")

// DistrictFormat is the "format" of a district profile file.
const DistrictFormat = "smartdiag.district/1"

// MaxDistrictSize bounds a district profile file. The bundled one is 12 KB; the cap only keeps a
// wrong file (a video, a disk image) from being read into memory.
const MaxDistrictSize = 4 << 20

// LoadDistrict reads a district profile file in the format of the bundled reference/jiangning.yaml
// (streets, target categories, coverage deadline, policies), so that the district side can be
// used for another district or with the office's own targets. Errors name the file and line.
func LoadDistrict(path string) (*District, error) {
	// regfile: a FIFO given as --profile would otherwise block the command forever.
	data, err := regfile.ReadFile(path, MaxDistrictSize)
	if err != nil {
		return nil, errProfileUnreadable.Wrap(regfile.WithoutPath(err), path)
	}
	d, err := ParseDistrict(data)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", path, err)
	}
	return d, nil
}

// ParseDistrict decodes and checks a district profile.
func ParseDistrict(data []byte) (*District, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("文件不是有效的 UTF-8 编码")
	}
	var file struct {
		Format   *string `yaml:"format"`
		District `yaml:",inline"`
		Goals    yaml.Node `yaml:"goals"` // three-year goals: text for people, not used by the program
		Plans    yaml.Node `yaml:"plans"` // provincial and city plans with targets: text for people
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("不是有效的区县画像：%s", yamlErrMsg(err))
	}
	if file.Format == nil {
		return nil, fmt.Errorf("不是区县画像：缺少 format 字段（应为 %s）", DistrictFormat)
	}
	rest, ok := strings.CutPrefix(*file.Format, "smartdiag.district/")
	if !ok {
		return nil, fmt.Errorf("不是区县画像：format 为 %q（应为 %s）", *file.Format, DistrictFormat)
	}
	if major, _, _ := strings.Cut(rest, "."); major != "1" {
		return nil, fmt.Errorf("区县画像格式 %s 比本软件支持的 %s 新，需要更新软件", *file.Format, DistrictFormat)
	}
	d := file.District
	if strings.TrimSpace(d.Name) == "" {
		return nil, fmt.Errorf("区县画像缺少 name（区县名称）")
	}
	seen := map[string]bool{}
	for _, s := range d.Streets {
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("streets 中有空的街道名称")
		}
		if seen[s] {
			return nil, fmt.Errorf("街道「%s」重复", s)
		}
		seen[s] = true
	}
	cats := map[string]bool{}
	for _, c := range d.Categories {
		if strings.TrimSpace(c.Key) == "" {
			return nil, fmt.Errorf("categories 中有缺少 key 的类别")
		}
		if cats[c.Key] {
			return nil, fmt.Errorf("类别「%s」重复", c.Key)
		}
		cats[c.Key] = true
		if c.Target < 0 {
			return nil, fmt.Errorf("类别「%s」的 target 不能为负数", c.Key)
		}
	}
	if err := checkAliases(&d); err != nil {
		return nil, err
	}
	if d.TrackThreshold < 0 || d.TrackThreshold > 100 {
		return nil, fmt.Errorf("track_threshold %g 无效（应为 0–100 的指数）", d.TrackThreshold)
	}
	if d.ForecastWindowDays < 0 || d.ForecastWindowDays > 3660 {
		return nil, fmt.Errorf("forecast_window_days %d 无效（应为 1–3660 天，或不填）", d.ForecastWindowDays)
	}
	if dl := strings.TrimSpace(d.CoverageDeadline); dl != "" {
		if _, err := time.Parse(time.DateOnly, dl); err != nil {
			return nil, fmt.Errorf("coverage_deadline %q 不是 YYYY-MM-DD 格式的日期", dl)
		}
	}
	ids := map[string]bool{}
	for _, p := range d.Policies {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("政策 %s：%v", p.ID, err)
		}
		if ids[p.ID] {
			return nil, fmt.Errorf("政策 %s 重复", p.ID)
		}
		ids[p.ID] = true
	}
	return &d, nil
}

// CategoryKeys are the profile's target categories in the profile's order.
func (d *District) CategoryKeys() []string {
	keys := make([]string, len(d.Categories))
	for i, c := range d.Categories {
		keys[i] = c.Key
	}
	return keys
}

// AddressPrefix is how addresses in the district begin: its full name (南京市江宁区).
func (d *District) AddressPrefix() string { return d.Name }

func (p Policy) check() error {
	if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Title) == "" {
		return fmt.Errorf("缺少 id 或 title")
	}
	if strings.TrimSpace(p.Source) == "" {
		return fmt.Errorf("缺少 source（来源）")
	}
	for field, v := range map[string]string{"valid_from": p.ValidFrom, "valid_until": p.ValidUntil} {
		if v != "" {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return fmt.Errorf("%s %q 不是 YYYY-MM-DD 格式的日期", field, v)
			}
		}
	}
	if len(p.Requires) == 0 {
		return fmt.Errorf("缺少 requires（申报条件）")
	}
	if sub := p.Subsidy; sub != nil {
		if sub.Share < 0 || sub.Share > 1 {
			return fmt.Errorf("subsidy.share %g 无效（应为 0–1 的比例）", sub.Share)
		}
		if sub.CapWan <= 0 {
			return fmt.Errorf("subsidy.cap_wan 无效：%g（应为大于 0 的万元数）", sub.CapWan)
		}
		if sub.Bonus && sub.Scheme == "" {
			return fmt.Errorf("subsidy.bonus 需要 scheme（加码补贴属于哪一项政策）")
		}
	}
	for _, r := range p.Requires {
		switch r.Kind {
		case ReqCMMMLevel, ReqSMELevel, ReqAILevel:
			if r.Min < 1 || r.Min > 5 || r.Min != float64(int(r.Min)) {
				return fmt.Errorf("%s 的 min %g 无效（应为 1–5 的整数）", r.Kind, r.Min)
			}
		case ReqSelfTestPoints, ReqAIScenarioShare:
			if r.Min <= 0 || r.Min > 100 {
				return fmt.Errorf("%s 的 min %g 无效（应为 0–100）", r.Kind, r.Min)
			}
		case ReqSMESize:
			if r.MaxEmployees <= 0 || r.MaxRevenueWan <= 0 {
				return fmt.Errorf("sme_size 需要 max_employees 与 max_revenue_wan（中小企业划型标准）")
			}
		default:
			return fmt.Errorf("未知的条件类型 %q（可用：%s）", r.Kind, strings.Join(RequirementKinds, "、"))
		}
	}
	return nil
}
