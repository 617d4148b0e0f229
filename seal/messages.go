package seal

import "smartdiag/usermsg"

// Why a verification came out as it did, in both languages. VerifyResult.Reason keeps the
// Chinese (the JSON, the CLI and the district's logs); VerifyResult.ReasonIn makes the message in
// the reader's language at the edge.
var (
	kindUnparsable  = usermsg.Define("seal.unparsable", "无法解析：%s", "cannot parse: %s")
	kindNotObject   = usermsg.Define("seal.not_object", "不是诊断文档：顶层不是 JSON 对象", "not a diagnosis document: the top level is not a JSON object")
	kindNoFormat    = usermsg.Define("seal.no_format", "不是诊断文档：缺少或错误的 format 字段", "not a diagnosis document: the format field is missing or wrong")
	kindSealMissing = usermsg.Define("seal.missing", "状态为已封存，但封印缺失（可能被删除）", "the status is sealed but the seal is missing (it may have been removed)")
	kindUnsealed    = usermsg.Define("seal.unsealed", "文档未封存（状态：%s）", "the document is not sealed (status: %s)")
	kindBroken      = usermsg.Define("seal.broken", "封印损坏：%s", "the seal is damaged: %s")
	kindHash        = usermsg.Define("seal.hash", "签名不符：文档在封存后被修改（内容校验值不同）",
		"signature mismatch: the document was changed after sealing (its content hash differs)")
	kindSignature = usermsg.Define("seal.signature", "签名不符：文档或封印在封存后被修改",
		"signature mismatch: the document or its seal was changed after sealing")
	kindNotSealedStatus = usermsg.Define("seal.status", "签名有效，但文档状态为 %s 而不是 sealed",
		"the signature is valid, but the document's status is %s, not sealed")
	kindLayout = usermsg.Define("seal.layout", "文件在封存后被改动：内容与签名相符，但字节排版（空白、换行、键顺序或转义）与封存时不同",
		"the file was changed after sealing: content and signature match, but the byte layout (whitespace, line breaks, key order or escaping) differs from the sealed file")
	kindUnknownSigner = usermsg.Define("seal.unknown_signer",
		"签名有效，但签名者%s的公钥不在信任列表中（指纹 %s）；请向服务商索取公钥文件，用 smartdiag trust add 添加",
		"the signature is valid, but the public key of the signer %s is not on the trust list (fingerprint %s); ask the provider for its public key file and add it with smartdiag trust add")
	kindValid = usermsg.Define("seal.valid", "%s封印有效：签名者%s，服务商「%s」，指纹 %s，封存于 %s",
		"%sSeal valid: signer %s, provider “%s”, fingerprint %s, sealed at %s")
	kindDemo = usermsg.Define("seal.demo", "【"+DemoLabel+"：演示密钥签名，不是正式诊断】",
		"[Demo data: signed with a demo key, not a real diagnosis] ")
	kindSigner    = usermsg.Define("seal.signer", "「%s」", "“%s”")
	kindSignerOrg = usermsg.Define("seal.signer_org", "「%s」（%s）", "“%s” (%s)")
	kindNone      = usermsg.Define("seal.none", "无", "none")
)
