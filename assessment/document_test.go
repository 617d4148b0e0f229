package assessment

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	q "smartdiag/questionnaires"
)

// validDoc is a small, valid document used as the base of the bad-input table.
func validDoc(t testing.TB) []byte {
	t.Helper()
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"A1": "full"})
	d.ID = "019cb175-a090-748d-9d00-52085058cbba"
	d.SetNote("A1", "已查看记录。", time.Unix(1_780_000_200, 0))
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRoundTrip(t *testing.T) {
	b := validDoc(t)
	d, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Errorf("re-encoding changed the document:\n%s\n---\n%s", b, b2)
	}
}

func TestDecodeBadInput(t *testing.T) {
	good := string(validDoc(t))
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "文件不完整"},
		{"truncated", good[:len(good)/2], "文件不完整"},
		{"not json", "这不是文档", "JSON 语法错误（第 1 行）"},
		{"no format", `{"id":"x"}`, "缺少 format"},
		{"other format", strings.Replace(good, "smartdiag.diagnosis/1", "smartdiag.roster/1", 1), "不是诊断文档"},
		{"newer major", strings.Replace(good, "smartdiag.diagnosis/1", "smartdiag.diagnosis/2", 1), "需要更新软件"},
		{"bad id", strings.Replace(good, "019cb175-a090-748d-9d00-52085058cbba", "abc", 1), "字段 id 无效"},
		{"bad credit code", strings.Replace(good, "91350100M000100Y43", "91350100M000100Y44", 1), "校验位错误"},
		{"bad status", strings.Replace(good, `"status": "draft"`, `"status": "done"`, 1), "字段 status 无效"},
		{"finished without time", strings.Replace(good, `"status": "draft"`, `"status": "finished"`, 1), "字段 finished 缺失"},
		{"wrong type", strings.Replace(good, `"target_level"`, `"x"`, 1) + "", ""},
		{"employees as text", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "employees": "很多"`, 1), "字段 enterprise.employees 类型错误"},
		{"malformed category", strings.Replace(good, "规上工业企业", "规上、高成长", 1), "企业类别 \"规上、高成长\" 无效"},
		{"bad production type", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "离散"`, 1), "生产类型"},
		{"self-test ok", strings.Replace(good, `"status": "draft"`, `"self_test": {"digital_points": 64.5, "smart_factory_level": 2, "ai_scenario_level": 1, "ai_scenario_share": 25, "date": "2026-04-20"}, "status": "draft"`, 1), ""},
		{"self-test points", strings.Replace(good, `"status": "draft"`, `"self_test": {"digital_points": 120}, "status": "draft"`, 1), "self_test.digital_points 无效"},
		{"self-test level", strings.Replace(good, `"status": "draft"`, `"self_test": {"smart_factory_level": 7}, "status": "draft"`, 1), "self_test.smart_factory_level 无效"},
		{"self-test AI level", strings.Replace(good, `"status": "draft"`, `"self_test": {"ai_scenario_level": -1}, "status": "draft"`, 1), "self_test.ai_scenario_level 无效"},
		{"self-test share", strings.Replace(good, `"status": "draft"`, `"self_test": {"ai_scenario_share": -5}, "status": "draft"`, 1), "self_test.ai_scenario_share 无效"},
		{"self-test date", strings.Replace(good, `"status": "draft"`, `"self_test": {"date": "2026年4月"}, "status": "draft"`, 1), "self_test.date 无效"},
		{"self-test as text", strings.Replace(good, `"status": "draft"`, `"self_test": "64分", "status": "draft"`, 1), "self_test"},
		{"firm profile", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "products": "液压阀", "processes": "机加工、装配", "pain_points": ["交期经常拖"], "inventory": [{"kind": "system", "name": "ERP", "model": "用友 U8", "since": 2019}, {"kind": "equipment", "name": "数控车床", "count": 12}]`, 1), ""},
		{"empty pain point", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "pain_points": ["交期经常拖", " "]`, 1), "企业痛点第 2 条为空"},
		{"bad inventory kind", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "inventory": [{"kind": "robot", "name": "焊接机器人"}]`, 1), "设备与系统清单第 1 条：类别 \"robot\" 无效"},
		{"inventory without name", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "inventory": [{"kind": "system", "name": ""}]`, 1), "设备与系统清单第 1 条：名称为空"},
		{"negative count", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "inventory": [{"kind": "equipment", "name": "冲床", "count": -2}]`, 1), "数量不能为负数"},
		{"bad year", strings.Replace(good, `"production_type": "discrete"`, `"production_type": "discrete", "inventory": [{"kind": "system", "name": "MES", "since": 19}]`, 1), "启用年份 19 无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.doc))
			if tt.want == "" {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewerFormatIsTyped(t *testing.T) {
	good := strings.Replace(string(validDoc(t)), "smartdiag.diagnosis/1", "smartdiag.diagnosis/3.1", 1)
	if _, err := Decode([]byte(good)); !errors.Is(err, ErrNewerFormat) {
		t.Errorf("err = %v, want ErrNewerFormat", err)
	}
	minor := strings.Replace(string(validDoc(t)), "smartdiag.diagnosis/1", "smartdiag.diagnosis/1.4", 1)
	if _, err := Decode([]byte(minor)); err != nil {
		t.Errorf("a newer minor version must still load: %v", err)
	}
}

func TestCheckAgainst(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	good := string(validDoc(t))
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown item": {strings.Replace(good, `"A1"`, `"Z9"`, 1), "答案 Z9：问卷 mini-cmmm 0.1 中没有此题"},
		"bad key":      {strings.Replace(good, `"value": "full"`, `"value": "yes"`, 1), "答案 A1：选项 \"yes\" 不在评分量表中"},
		"number":       {strings.Replace(good, `"value": "full"`, `"value": 1`, 1), "答案 A1：应为选项"},
	} {
		d, err := Decode([]byte(tc.doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := d.CheckAgainst(qn); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

func TestUnknownQuestionnaireVersion(t *testing.T) {
	doc := strings.Replace(string(validDoc(t)), `"id": "mini-cmmm"`, `"id": "cmmm-full"`, 1)
	_, _, err := Open([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "本软件没有问卷 cmmm-full 的版本 0.1") {
		t.Errorf("err = %v", err)
	}
}

func TestWorkspaceSaveLoad(t *testing.T) {
	ws, err := OpenWorkspace(filepath.Join(t.TempDir(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(validDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Save(d); err != nil {
		t.Fatal(err)
	}
	// A leftover temp file from a killed save is not listed.
	os.WriteFile(filepath.Join(ws.Dir, "."+d.ID+Ext+".tmp-123"), []byte("{"), 0o644)
	files, err := ws.List()
	if err != nil || len(files) != 1 || files[0] != ws.Path(d.ID) {
		t.Errorf("List = %v, %v", files, err)
	}
	b, _ := os.ReadFile(ws.Path(d.ID))
	if _, err := Decode(b); err != nil {
		t.Error(err)
	}
}

// fullDisk writes half of what it is given, then fails as a full disk does.
type fullDisk struct{ *os.File }

func (f fullDisk) Write(b []byte) (int, error) {
	n, _ := f.File.Write(b[:len(b)/2])
	return n, syscall.ENOSPC
}

func TestSaveOnFullDiskKeepsPreviousDocument(t *testing.T) {
	ws, _ := OpenWorkspace(t.TempDir())
	d, err := Decode(validDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Save(d); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(ws.Path(d.ID))
	orig := createTemp
	createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		return fullDisk{f}, err
	}
	defer func() { createTemp = orig }()
	d.Answers["A1"].Note = strings.Repeat("新的备注。", 100)
	err = ws.Save(d)
	if err == nil || !strings.Contains(err.Error(), "无法保存") || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("save on a full disk: %v", err)
	}
	after, _ := os.ReadFile(ws.Path(d.ID))
	if !bytes.Equal(before, after) {
		t.Error("the previous document changed")
	}
	if files, _ := filepath.Glob(filepath.Join(ws.Dir, ".*tmp-*")); len(files) != 0 {
		t.Errorf("temp files left behind: %v", files)
	}
}

func TestSaveIntoReadOnlyFolderFails(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores folder permissions; TestSaveOnFullDiskKeepsPreviousDocument covers the failure path")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.sdiag")
	if err := WriteFileAtomic(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if err := WriteFileAtomic(path, []byte("new")); err == nil {
		t.Fatal("saving into a read-only folder succeeded")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("previous document changed to %q", b)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(validDoc(f))
	for _, s := range []string{"", "{}", `{"format":"smartdiag.diagnosis/1"}`, `{"format":"smartdiag.diagnosis/99"}`,
		`{"format":"smartdiag.diagnosis/1","answers":{"A1":null}}`, `[1,2,3]`, `{"format":"smartdiag.diagnosis/1.x"}`} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.sdiag")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	qn := loadFixture(f, "mini-cmmm.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data)
		if err != nil {
			return
		}
		if vals, err := d.CheckValues(qn); err == nil {
			want := Score(qn, d) // a document that passes its checks must score without panicking
			want.Notes = nil
			if got := ScoreCheckedWithoutNotes(qn, d, vals); !reflect.DeepEqual(got, want) {
				t.Fatalf("score from the checked values %+v, want %+v", got, want)
			}
		} else if d.CheckAgainst(qn) == nil {
			t.Fatalf("CheckValues refuses what CheckAgainst accepts: %v", err)
		}
		if _, err := d.Encode(); err != nil {
			t.Fatalf("a decoded document does not encode: %v", err)
		}
	})
}

func BenchmarkScoreCMMMFull(b *testing.B) {
	d, qn := benchDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		Score(qn, d)
	}
}

func BenchmarkOpenAndScore(b *testing.B) {
	d, _ := benchDoc(b)
	data, _ := d.Encode()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, qn, err := Open(data)
		if err != nil {
			b.Fatal(err)
		}
		Score(qn, d)
	}
}

// benchDoc is a finished cmmm-full document with every item answered.
func benchDoc(b *testing.B) (*Document, *q.Questionnaire) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		b.Fatal(err)
	}
	keys := []string{"full", "most", "part", "none", "na"}
	d, _ := NewDocument(qn, testEnterprise, Assessor{Name: "测试"}, time.Now())
	for i, it := range qn.Items() {
		var v any = keys[i%len(keys)]
		if it.Type == q.TypeNumber {
			v = *it.Min
		}
		if err := d.SetAnswer(qn, it.ID, v, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	return d, qn
}

// Decode reads a document in one pass, and the format first only for a document that fails it:
// the document or the error (its wording, the field it names, its line) is that of reading the
// format first and then the document, as Decode did.
func FuzzDecodeOnePass(f *testing.F) {
	valid := string(validDoc(f))
	for _, s := range []string{
		valid, "", "null", "[]", `"x"`, "{}", "{", valid[:len(valid)/2],
		`{"format":null}`, `{"format":7}`, `{"format":""}`, `{"format":"other/1"}`,
		`{"format":"smartdiag.diagnosis/99","status":7}`, `{"format":"smartdiag.diagnosis/x"}`,
		`{"format":"smartdiag.diagnosis/1","status":7}`, `{"format":"smartdiag.diagnosis/1","enterprise":{"employees":"many"}}`,
		`{"format":"smartdiag.diagnosis/1","format":null}`, `{"Format":"smartdiag.diagnosis/1","FORMAT":"smartdiag.diagnosis/2"}`,
		`{"format":"smartdiag.diagnosis/1","answers":{"A1":{"value":"x","answered_at":"yesterday"}}}`,
		strings.Replace(valid, `"status": "`, `"status": 1, "x": "`, 1),
		strings.Replace(valid, `"format": "smartdiag.diagnosis/1"`, `"format": "smartdiag.diagnosis/2"`, 1),
		strings.Replace(valid, `"format": "smartdiag.diagnosis/1"`, `"FORMAT": "smartdiag.diagnosis/1"`, 1),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		want, werr := decodeTwoPass(data)
		if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("one pass: %v %+v\ntwo passes: %v %+v", err, got, werr, want)
		}
	})
}
