package seal

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// maxEmbedded bounds what ExtractDocument inflates, so a crafted PDF cannot exhaust memory.
const maxEmbedded = 64 << 20

// embeddedRe matches the dictionary fpdf writes for an embedded file (see SetAttachments).
var embeddedRe = regexp.MustCompile(`/Type /EmbeddedFile /Length (\d+) /Filter /FlateDecode /Params << /CheckSum <([0-9a-f]{32})> /Size (\d+) >> >>\s*stream\r?\n`)

// ErrNoDocument means the PDF carries no diagnosis document.
var ErrNoDocument = errors.New("PDF 中没有嵌入诊断文档（不是本软件生成的报告，或报告来自旧版本）")

// ExtractDocument returns the diagnosis document embedded in a report made by this package. The
// bytes are checked against the size and MD5 the PDF records, so a damaged report is an error,
// never a silently different document.
func ExtractDocument(pdf []byte) ([]byte, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("不是 PDF 文件")
	}
	var firstErr error
	for _, m := range embeddedRe.FindAllSubmatchIndex(pdf, -1) {
		length, err1 := strconv.Atoi(string(pdf[m[2]:m[3]]))
		size, err2 := strconv.Atoi(string(pdf[m[6]:m[7]]))
		if err1 != nil || err2 != nil || length < 0 || size < 0 || size > maxEmbedded || m[1]+length > len(pdf) {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件长度无效（文件可能被截断）"))
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+length]))
		if err != nil {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件已损坏：%v", err))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(zr, maxEmbedded+1))
		if err != nil || len(data) != size {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件已损坏（解压后长度不符）"))
			continue
		}
		sum := md5.Sum(data)
		if hex.EncodeToString(sum[:]) != string(pdf[m[4]:m[5]]) {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件校验值不符（文件已被修改或损坏）"))
			continue
		}
		// Anywhere in the JSON: a sealed document's keys are sorted, so "format" is not first.
		if bytes.Contains(data, []byte(`"smartdiag.diagnosis/`)) {
			return data, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, ErrNoDocument
}

func orErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
