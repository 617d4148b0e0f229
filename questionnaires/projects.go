package questionnaires

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ProjectsFormat is the "format" of the project catalogue (reference/projects.yaml).
const ProjectsFormat = "smartdiag.projects/1"

// SizeBand is one firm-size band of the SME classification rule: a firm falls in the first band
// (largest first) whose both minimums it meets.
type SizeBand struct {
	Key           string  `yaml:"key"`
	Name          string  `yaml:"name"`
	NameEN        string  `yaml:"name_en"`
	MinEmployees  int     `yaml:"min_employees"`
	MinRevenueWan float64 `yaml:"min_revenue_wan"`
}

// ProjectMatch selects the plan actions a project takes: explicit item ids, or items of the listed
// sub-domains (cmmm) or innermost sections (points) with a level in [MinLevel, MaxLevel] (0 = open).
type ProjectMatch struct {
	Items      []string `yaml:"items"`
	SubDomains []string `yaml:"subdomains"`
	Sections   []string `yaml:"sections"`
	MinLevel   int      `yaml:"min_level"`
	MaxLevel   int      `yaml:"max_level"`
}

// Project is one entry of the catalogue: a unit of work a firm can budget, tender and accept.
type Project struct {
	ID            string                `yaml:"id"`
	Name          string                `yaml:"name"`
	NameEN        string                `yaml:"name_en"`
	Scope         string                `yaml:"scope"`
	ScopeEN       string                `yaml:"scope_en"`
	Months        [2]int                `yaml:"months"`
	InvestmentWan map[string][2]float64 `yaml:"investment_wan"` // by size band key
	Benefits      string                `yaml:"benefits"`
	BenefitsEN    string                `yaml:"benefits_en"`
	Provider      string                `yaml:"provider"`
	ProviderEN    string                `yaml:"provider_en"`
	Prerequisites []string              `yaml:"prerequisites"`
	Scenarios     []string              `yaml:"scenarios"`
	// LongFromLevel: investment actions at this level or above are long investments (远期); 0 = none.
	LongFromLevel int            `yaml:"long_from_level"`
	Match         []ProjectMatch `yaml:"match"`
	Source        string         `yaml:"source"`
	Tag           string         `yaml:"tag"`
}

// ProjectCatalogue is the decoded and checked reference/projects.yaml.
type ProjectCatalogue struct {
	SizeBands struct {
		Source   string     `yaml:"source"`
		SourceEN string     `yaml:"source_en"`
		Date     string     `yaml:"date"`
		Tag      string     `yaml:"tag"`
		Bands    []SizeBand `yaml:"bands"`
	} `yaml:"size_bands"`
	Fallback string     `yaml:"fallback"`
	Projects []*Project `yaml:"projects"`

	byID map[string]*Project
}

// Project looks a project up by id.
func (c *ProjectCatalogue) Project(id string) *Project { return c.byID[id] }

// SizeBand returns the band of a firm; ok is false when staff and revenue are both unknown.
func (c *ProjectCatalogue) SizeBand(employees int, revenueWan float64) (SizeBand, bool) {
	if employees <= 0 && revenueWan <= 0 {
		return SizeBand{}, false
	}
	for _, b := range c.SizeBands.Bands {
		if employees >= b.MinEmployees && revenueWan >= b.MinRevenueWan {
			return b, true
		}
	}
	return c.SizeBands.Bands[len(c.SizeBands.Bands)-1], true
}

// ProjectFor returns the project an item belongs to: an explicit item id anywhere in the catalogue
// wins, then the first selector in file order that names the sub-domain or section with a fitting
// level, then the fallback project.
func (c *ProjectCatalogue) ProjectFor(itemID, subDomain, section string, level int) *Project {
	if itemID != "" {
		for _, p := range c.Projects {
			for _, m := range p.Match {
				if slices.Contains(m.Items, itemID) {
					return p
				}
			}
		}
	}
	for _, p := range c.Projects {
		for _, m := range p.Match {
			if m.MinLevel > 0 && level < m.MinLevel || m.MaxLevel > 0 && level > m.MaxLevel {
				continue
			}
			if subDomain != "" && slices.Contains(m.SubDomains, subDomain) || section != "" && slices.Contains(m.Sections, section) {
				return p
			}
		}
	}
	return c.byID[c.Fallback]
}

var projectIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ParseProjects decodes and checks a project catalogue. Errors are in Chinese and name the project
// and field.
func ParseProjects(data []byte) (*ProjectCatalogue, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("文件不是有效的 UTF-8 编码")
	}
	var file struct {
		Format           *string `yaml:"format"`
		ProjectCatalogue `yaml:",inline"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("不是有效的项目目录：%s", yamlErrMsg(err))
	}
	if file.Format == nil || *file.Format != ProjectsFormat {
		return nil, fmt.Errorf("不是项目目录：format 应为 %s", ProjectsFormat)
	}
	c := &file.ProjectCatalogue
	bands := c.SizeBands.Bands
	if len(bands) == 0 {
		return nil, fmt.Errorf("size_bands.bands 为空")
	}
	if c.SizeBands.Source == "" || c.SizeBands.SourceEN == "" || c.SizeBands.Tag == "" {
		return nil, fmt.Errorf("size_bands 缺少 source、source_en 或 tag")
	}
	bandKeys := map[string]bool{}
	for i, b := range bands {
		if !projectIDPattern.MatchString(b.Key) || b.Name == "" || bandKeys[b.Key] {
			return nil, fmt.Errorf("size_bands 第 %d 档：key 无效、重复或缺少 name", i+1)
		}
		bandKeys[b.Key] = true
		if b.MinEmployees < 0 || b.MinRevenueWan < 0 {
			return nil, fmt.Errorf("规模档 %s：下限不能为负", b.Key)
		}
		if i > 0 && (b.MinEmployees > bands[i-1].MinEmployees || b.MinRevenueWan > bands[i-1].MinRevenueWan) {
			return nil, fmt.Errorf("规模档 %s：应按从大到小排列", b.Key)
		}
	}
	if last := bands[len(bands)-1]; last.MinEmployees != 0 || last.MinRevenueWan != 0 {
		return nil, fmt.Errorf("最后一个规模档 %s 的下限应为 0，使每家企业都有归属", last.Key)
	}
	if len(c.Projects) == 0 {
		return nil, fmt.Errorf("projects 为空")
	}
	c.byID = map[string]*Project{}
	scen := Scenarios()
	for i, p := range c.Projects {
		if p == nil || !projectIDPattern.MatchString(p.ID) {
			return nil, fmt.Errorf("第 %d 个项目：id 无效（应为小写字母、数字和连字符）", i+1)
		}
		if c.byID[p.ID] != nil {
			return nil, fmt.Errorf("项目 %s 重复", p.ID)
		}
		c.byID[p.ID] = p
		for field, v := range map[string]string{"name": p.Name, "name_en": p.NameEN, "scope": p.Scope, "scope_en": p.ScopeEN,
			"benefits": p.Benefits, "benefits_en": p.BenefitsEN, "provider": p.Provider, "provider_en": p.ProviderEN,
			"source": p.Source, "tag": p.Tag} {
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("项目 %s 缺少 %s", p.ID, field)
			}
		}
		if p.Months[0] <= 0 || p.Months[1] < p.Months[0] {
			return nil, fmt.Errorf("项目 %s：months 应为 [最短, 最长] 且为正数", p.ID)
		}
		for k := range p.InvestmentWan {
			if !bandKeys[k] {
				return nil, fmt.Errorf("项目 %s：investment_wan 中的规模档 %q 不在 size_bands 中", p.ID, k)
			}
		}
		for _, b := range bands {
			r, ok := p.InvestmentWan[b.Key]
			if !ok {
				return nil, fmt.Errorf("项目 %s：investment_wan 缺少规模档 %s", p.ID, b.Key)
			}
			if r[0] < 0 || r[1] < r[0] {
				return nil, fmt.Errorf("项目 %s：%s 档投资区间 [%g, %g] 无效", p.ID, b.Key, r[0], r[1])
			}
		}
		for _, s := range p.Scenarios {
			if _, ok := scen[s]; !ok {
				return nil, fmt.Errorf("项目 %s：典型场景 %s 不在 scenarios.yaml 中", p.ID, s)
			}
		}
		if len(p.Match) == 0 {
			return nil, fmt.Errorf("项目 %s 缺少 match（匹配规则）", p.ID)
		}
		for _, m := range p.Match {
			if len(m.Items)+len(m.SubDomains)+len(m.Sections) == 0 {
				return nil, fmt.Errorf("项目 %s：match 中有空规则", p.ID)
			}
			if m.MinLevel < 0 || m.MaxLevel < 0 || m.MaxLevel > 0 && m.MaxLevel < m.MinLevel {
				return nil, fmt.Errorf("项目 %s：match 的等级范围无效", p.ID)
			}
		}
		if p.LongFromLevel < 0 {
			return nil, fmt.Errorf("项目 %s：long_from_level 不能为负", p.ID)
		}
	}
	for _, p := range c.Projects {
		for _, pre := range p.Prerequisites {
			if c.byID[pre] == nil || pre == p.ID {
				return nil, fmt.Errorf("项目 %s：前置项目 %q 不存在", p.ID, pre)
			}
		}
	}
	if err := checkPrerequisiteCycles(c); err != nil {
		return nil, err
	}
	if c.byID[c.Fallback] == nil {
		return nil, fmt.Errorf("fallback 项目 %q 不存在", c.Fallback)
	}
	return c, nil
}

func checkPrerequisiteCycles(c *ProjectCatalogue) error {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch state[id] {
		case 1:
			return fmt.Errorf("前置项目形成循环：%s", strings.Join(append(path, id), " → "))
		case 2:
			return nil
		}
		state[id] = 1
		for _, pre := range c.byID[id].Prerequisites {
			if err := visit(pre, append(path, id)); err != nil {
				return err
			}
		}
		state[id] = 2
		return nil
	}
	for _, p := range c.Projects {
		if err := visit(p.ID, nil); err != nil {
			return err
		}
	}
	return nil
}

var (
	projectsOnce sync.Once
	projects     *ProjectCatalogue
)

// BundledProjects returns the bundled project catalogue. It is embedded and covered by tests, so
// an invalid file is a build defect.
func BundledProjects() *ProjectCatalogue {
	projectsOnce.Do(func() {
		data, err := referenceFS.ReadFile("reference/projects.yaml")
		if err == nil {
			projects, err = ParseProjects(data)
		}
		if err != nil {
			panic(fmt.Sprintf("embedded reference/projects.yaml: %v", err))
		}
	})
	return projects
}
