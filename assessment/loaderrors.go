package assessment

import "smartdiag/usermsg"

// The errors of reading a document file that users read, in both languages: the app makes the
// message in its UI language at the edge (usermsg.Text); logs and the CLI see the Chinese.
var (
	kindNeedsUpdate = usermsg.Define("assessment.needs_update", "需要更新软件", "please update the software")
	kindNewerFormat = usermsg.Define("assessment.newer_format",
		"文档格式 %s 比本软件支持的 %s 新，%s", "document format %s is newer than %s, which this version supports; %s")
	kindNoFormat   = usermsg.Define("assessment.no_format", "不是诊断文档：缺少 format 字段", "not a diagnosis document: the format field is missing")
	kindNotFormat  = usermsg.Define("assessment.not_format", "不是诊断文档：format 为 %q", "not a diagnosis document: format is %q")
	kindBadVersion = usermsg.Define("assessment.bad_version", "format %q 的版本号无效", "format %q has an invalid version number")
	kindTruncated  = usermsg.Define("assessment.truncated", "文件不完整（可能被截断或为空）", "the file is incomplete (truncated or empty)")
	kindSyntax     = usermsg.Define("assessment.json_syntax", "JSON 语法错误（第 %d 行）：%v", "JSON syntax error (line %d): %v")
	kindFieldType  = usermsg.Define("assessment.field_type",
		"字段 %s 类型错误（第 %d 行）：应为 %s，实际为 %s", "field %s has the wrong type (line %d): expected %s, found %s")
	kindUnparsable = usermsg.Define("assessment.unparsable", "无法解析文档：%v", "cannot parse the document: %v")
	kindBadID      = usermsg.Define("assessment.bad_id", "字段 id 无效：%q 不是 UUID", "field id is invalid: %q is not a UUID")
	kindNoQRef     = usermsg.Define("assessment.no_questionnaire", "字段 questionnaire 缺少 id 或 version", "field questionnaire lacks id or version")
	kindBadStatus  = usermsg.Define("assessment.bad_status", "字段 status 无效：%q（应为 draft、finished 或 sealed）", "field status is invalid: %q (should be draft, finished or sealed)")
	kindNoFinished = usermsg.Define("assessment.no_finished", "字段 finished 缺失：状态为 %s 的文档必须有完成时间", "field finished is missing: a document with status %s must have a finishing time")
	kindBadTarget  = usermsg.Define("assessment.bad_target", "字段 target_level 无效：%d（应为 1–5）", "field target_level is invalid: %d (should be 1–5)")
	kindUnreadable = usermsg.Define("assessment.unreadable", "%s：无法读取：%s", "%s: cannot read: %s")
	kindInFile     = usermsg.Define("assessment.in_file", "%s：%s", "%s: %s")
)

// ErrNewerFormat means the document (or a key or trust list file) was written by a newer major
// version of the software; match it with errors.Is.
var ErrNewerFormat error = kindNeedsUpdate.New()
