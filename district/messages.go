package district

import (
	"smartdiag/usermsg"
)

// Why a file was refused, skipped or kept as a conflict, in both languages. ImportEntry.Reason and
// Examined.Reason keep the Chinese (the JSON, the CLI and the import log); ReasonIn makes the
// message in the reader's language at the edge (the app's English UI).
var (
	kindPDFReport   = usermsg.Define("district.pdf_report", "PDF 报告：%s", "PDF report: %s")
	kindUndecodable = usermsg.Define("district.undecodable", "封印有效，但文档无法读取：%s", "the seal is valid, but the document cannot be read: %s")
	kindIncomplete  = usermsg.Define("district.incomplete",
		"文档不完整：还有 %d 道必答题未回答（%s%s）；封存的诊断必须答完全部必答题，此文件不计入",
		"the document is incomplete: %d required items are unanswered (%s%s); a sealed diagnosis must answer every required item, this file is not counted")
	kindMore       = usermsg.Define("district.more", " 等", " and more")
	kindListPair   = usermsg.Define("district.list_pair", "%s、%s", "%s, %s")
	kindWhatFinish = usermsg.Define("district.finished", "完成", "finishing")
	kindWhatSealed = usermsg.Define("district.sealed", "封存", "sealing")
	kindDateFuture = usermsg.Define("district.date_future",
		"%s时间 %s 晚于今天（允许的时钟误差为 %d 小时），日期不可信，此文件不计入；请服务商核对电脑时钟后重新封存",
		"the %s time %s is later than today (the allowed clock error is %d hours), the date cannot be trusted and this file is not counted; the provider should check the computer's clock and seal again")
	kindDatePast = usermsg.Define("district.date_past",
		"%s时间 %s 早于 %s，日期不可信，此文件不计入；请服务商核对电脑时钟后重新封存",
		"the %s time %s is earlier than %s, the date cannot be trusted and this file is not counted; the provider should check the computer's clock and seal again")
	kindRevisionFirm = usermsg.Define("district.revision_firm",
		"修订无效：声称替代的 %s 是另一家企业（%s）的诊断，而本文件是 %s 的；修订只能替代同一企业的诊断，此文件不计入",
		"invalid revision: the %s it claims to replace is a diagnosis of another firm (%s), while this file is of %s; a revision may only replace a diagnosis of the same firm, this file is not counted")
	kindRevisionKey = usermsg.Define("district.revision_key",
		"修订无效：声称替代的 %s 由另一把密钥（指纹 %s）签名；修订只能由原诊断的服务商用同一密钥签名，此文件不计入",
		"invalid revision: the %s it claims to replace was signed with another key (fingerprint %s); a revision must be signed by the original diagnosis's provider with the same key, this file is not counted")
	kindReadExisting  = usermsg.Define("district.read_existing", "无法读取工作区中已有的 %s：%s", "cannot read %s already in the workspace: %s")
	kindDuplicate     = usermsg.Define("district.duplicate", "已导入过（内容相同）", "already imported (same content)")
	kindDuplicateSeal = usermsg.Define("district.duplicate_seal", "已导入过（内容相同，封存时间或签名者不同）",
		"already imported (same content, another sealing time or signer)")
	kindDuplicateConflict = usermsg.Define("district.duplicate_conflict",
		"已导入过（内容相同），作为冲突版本保存在 %s；同 id 的各版本都不计入统计，须由区里核实后删除错误的版本",
		"already imported (same content), kept as a conflicting version in %s; no version of the same id is counted until the district checks them and deletes the wrong ones")
	kindConflictBroken = usermsg.Define("district.conflict_broken",
		"工作区中已有同 id 的 %s，但它已损坏或被改动（%s）；本文件另存为 %s，均不计入统计，请核查后手工处理",
		"the workspace already has %s with the same id, but it is damaged or changed (%s); this file is kept as %s, neither is counted; please check them and resolve by hand")
	kindConflict = usermsg.Define("district.conflict",
		"冲突：工作区中已有同 id 但内容不同的诊断（%s…与%s…）；两个版本都已保存（%s 与 %s），统计时都不计入，须由区里核实后删除错误的一份",
		"conflict: the workspace already has a diagnosis with the same id but other content (%s… and %s…); both versions are kept (%s and %s), neither is counted until the district checks them and deletes the wrong one")
	kindReconciled = usermsg.Define("district.reconciled", "已在区工作区中，但导入日志没有记录（上次导入可能被中断）；现补记",
		"already in the district workspace but not in the import log (an earlier import may have been interrupted); recorded now")
)

// reasonIn is a reason in lang: the typed why when there is one, else the Chinese text.
func reasonIn(reason string, why error, lang string) string {
	if why == nil {
		return reason
	}
	return usermsg.Text(why, lang)
}

// listOf joins items with the list separator of the reader's language.
func listOf(items []string) any {
	if len(items) == 0 {
		return ""
	}
	var acc any = items[0]
	for _, it := range items[1:] {
		acc = kindListPair.New(acc, it)
	}
	return acc
}
