package cli

import (
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/regfile"
	"smartdiag/seal"
)

func cmdKey(c *ctx, args []string) int {
	fs := c.newFlags("key", "[--out FILE] [--name 姓名 --org 单位]")
	out := fs.String("out", "", "公钥文件写到这里（默认写在配置文件夹中）")
	name := fs.String("name", "", "密钥所有者（诊断顾问）姓名；保存下来，用于封存和公钥文件")
	org := fs.String("org", "", "所属服务商单位；保存下来")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(pos) > 0 {
		fs.Usage()
		return ExitUsage
	}
	key, created, err := seal.LoadOrCreateKey()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	signer, err := seal.LoadSigner()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	changed := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name":
			signer.Name, changed = strings.TrimSpace(*name), true
		case "org":
			signer.Organisation, changed = strings.TrimSpace(*org), true
		}
	})
	if changed {
		if err := seal.SaveSigner(signer); err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
	}
	pub := key.Public().(ed25519.PublicKey)
	data, err := seal.NewPublicKeyFile(pub, signer, time.Now()).Encode()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	dst := *out
	if dst == "" {
		if dst, err = seal.ConfigPath(seal.PublicKeyFileName); err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
	}
	if err := assessment.WriteFileAtomic(dst, data); err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	keyPath, _ := seal.ConfigPath(seal.KeyFileName)
	if created {
		fmt.Fprintf(c.stdout, "已创建新的签名密钥：%s（仅本人可读，切勿外传）\n", keyPath)
	} else {
		fmt.Fprintf(c.stdout, "签名密钥：%s\n", keyPath)
	}
	if signer.Name != "" {
		fmt.Fprintf(c.stdout, "签名者：%s\n", joinNonEmpty("，", signer.Name, signer.Organisation))
	}
	fmt.Fprintf(c.stdout, "指纹：%s\n", seal.Fingerprint(pub))
	fmt.Fprintf(c.stdout, "公钥文件：%s（交给区工信局，由其用 smartdiag trust add 加入信任列表）\n", dst)
	if signer.Name == "" {
		fmt.Fprintln(c.stdout, "提示：用 --name 姓名 --org 单位 写明签名者，否则封存时使用文档中的诊断顾问。")
	}
	return ExitOK
}

func cmdSeal(c *ctx, args []string) int {
	fs := c.newFlags("seal", "FILE...")
	files, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return ExitUsage
	}
	code := ExitOK
	svc := c.service()
	for _, f := range files {
		r, err := svc.SealFile(f)
		if err != nil {
			c.errorf("%s：%v", f, err)
			code = ExitInput
			continue
		}
		if r.KeyCreated {
			fmt.Fprintf(c.stdout, "已创建新的签名密钥（指纹 %s）；请用 smartdiag key 写出公钥文件交给区工信局。\n", r.Fingerprint)
		}
		fmt.Fprintf(c.stdout, "%s：已封存（指纹 %s）\n", f, r.Fingerprint)
	}
	return code
}

// verifyEntry is one line of `verify --json`.
type verifyEntry struct {
	File string `json:"file"`
	seal.VerifyResult
}

func cmdVerify(c *ctx, args []string) int {
	fs := c.newFlags("verify", "FILE... [--json]")
	asJSON := fs.Bool("json", false, `以 JSON 数组输出：[{"file", "status", "reason", …}]`)
	args0, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(args0) == 0 {
		fs.Usage()
		return ExitUsage
	}
	trust, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	// Files and folders are read exactly as import reads them (district.Examine): report PDFs,
	// folders searched recursively, the same limits and the same rules.
	var entries []verifyEntry
	now := time.Now()
	for _, f := range args0 {
		if f == "-" {
			data, err := readInput(f)
			if err != nil {
				entries = append(entries, verifyEntry{f, seal.VerifyResult{Status: seal.VerifyUnreadable, Reason: fmt.Sprintf("无法读取：%v", regfile.WithoutPath(err))}})
				continue
			}
			entries = append(entries, examined(f, district.ExamineData(data, trust, now)))
			continue
		}
		for _, in := range district.CollectInputs([]string{f}, "") {
			x := district.Examine(in, trust, now, nil)
			if !x.Skip {
				entries = append(entries, examined(in.Path, x))
			}
		}
	}
	code := ExitOK
	counts := map[string]int{}
	for _, e := range entries {
		counts[e.Status]++
		if e.Status != seal.VerifyValid {
			code = ExitInput
		}
	}
	if *asJSON {
		if entries == nil {
			entries = []verifyEntry{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(entries)
		return code
	}
	for _, e := range entries {
		fmt.Fprintf(c.stdout, "%s：%s  %s\n", e.File, e.Status, e.Reason)
	}
	if len(entries) > 1 {
		var parts []string
		for _, s := range []string{seal.VerifyValid, seal.VerifyTampered, seal.VerifyUnsealed, seal.VerifyUnknownSigner, seal.VerifyUnreadable} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", s, counts[s]))
			}
		}
		fmt.Fprintf(c.stdout, "共 %d 个文件：%s\n", len(entries), strings.Join(parts, "，"))
	}
	return code
}

func examined(path string, x district.Examined) verifyEntry {
	r := x.Result
	r.Status, r.Reason = x.Status, x.Reason
	return verifyEntry{path, r}
}

const trustUsage = "add KEYFILE --name 服务商 [--demo] | list [--json] | remove 名称|指纹"

func cmdTrust(c *ctx, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(c.stderr, "用法：smartdiag trust %s\n", trustUsage)
		return ExitUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		return trustAdd(c, args)
	case "list":
		return trustList(c, args)
	case "remove", "rm":
		return trustRemove(c, args)
	case "help", "-h", "--help":
		fmt.Fprintf(c.stdout, "用法：smartdiag trust %s\n", trustUsage)
		return ExitOK
	}
	c.errorf("未知的 trust 子命令 %q", sub)
	fmt.Fprintf(c.stderr, "用法：smartdiag trust %s\n", trustUsage)
	return ExitUsage
}

func trustAdd(c *ctx, args []string) int {
	fs := c.newFlags("trust add", "KEYFILE --name 服务商 [--demo]")
	name := fs.String("name", "", "服务商名称（默认取公钥文件中的单位或姓名）")
	demo := fs.Bool("demo", false, "允许加入演示密钥（只用于试用；它签名的诊断处处标为演示数据）")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(pos) != 1 {
		fs.Usage()
		return ExitUsage
	}
	tl, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	k, err := tl.Add(pos[0], *name, *demo)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	fmt.Fprintf(c.stdout, "已信任「%s」：%s，指纹 %s\n", k.Name, orNone(joinNonEmpty("，", k.Signer, k.Organisation)), k.Fingerprint)
	if k.Demo {
		fmt.Fprintf(c.stdout, "注意：这是演示密钥，它签名的诊断在导入、统计、Excel 和简报中都标为「%s」，切勿用于正式工作。\n", seal.DemoLabel)
	}
	fmt.Fprintf(c.stdout, "信任列表：%s（共 %d 个密钥）\n", tl.Path, len(tl.Keys))
	return ExitOK
}

func trustList(c *ctx, args []string) int {
	fs := c.newFlags("trust list", "[--json]")
	asJSON := fs.Bool("json", false, "以 JSON 数组输出")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(pos) > 0 {
		fs.Usage()
		return ExitUsage
	}
	tl, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	keys := tl.List()
	if *asJSON {
		if keys == nil {
			keys = []seal.TrustedKey{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(keys)
		return ExitOK
	}
	if len(keys) == 0 {
		fmt.Fprintf(c.stdout, "信任列表为空（%s）。用 smartdiag trust add KEYFILE --name 服务商 添加。\n", tl.Path)
		return ExitOK
	}
	fmt.Fprintf(c.stdout, "信任列表：%s\n", tl.Path)
	for _, k := range keys {
		demo := ""
		if k.Demo {
			demo = "  【" + seal.DemoLabel + "：演示密钥，切勿用于正式工作】"
		}
		fmt.Fprintf(c.stdout, "%s  %s  %s  添加于 %s%s\n", k.Fingerprint, padRight(k.Name, 24), orNone(joinNonEmpty("，", k.Signer, k.Organisation)), k.Added.Local().Format("2006-01-02"), demo)
	}
	return ExitOK
}

func trustRemove(c *ctx, args []string) int {
	fs := c.newFlags("trust remove", "名称|指纹")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(pos) != 1 {
		fs.Usage()
		return ExitUsage
	}
	tl, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	removed, err := tl.Remove(pos[0])
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	for _, k := range removed {
		fmt.Fprintf(c.stdout, "已移除「%s」：%s，指纹 %s\n", k.Name, orNone(joinNonEmpty("，", k.Signer, k.Organisation)), k.Fingerprint)
	}
	return ExitOK
}

func orNone(s string) string {
	if s == "" {
		return "（未署名）"
	}
	return s
}
