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

// Limits on what a document and a report PDF may hold. A real diagnosis is well under 1 MB (270
// answers with notes); the limits leave room for long notes while a crafted file cannot make a
// reader hold more than this. They are in docs/使用手册.md and in every error they cause.
const (
	// MaxDocumentSize bounds a .sdiag file and a diagnosis inflated out of a PDF.
	MaxDocumentSize = 16 << 20
	// MaxInflated bounds what is inflated out of one PDF in all (every attachment together), so a
	// PDF of many small "zip bombs" stops too.
	MaxInflated = 32 << 20
)

// embeddedRe matches the dictionary fpdf writes for an embedded file (see SetAttachments).
var embeddedRe = regexp.MustCompile(`/Type /EmbeddedFile /Length (\d+) /Filter /FlateDecode /Params << /CheckSum <([0-9a-f]{32})> /Size (\d+) >> >>\s*stream\r?\n`)

// ErrNoDocument means the PDF carries no diagnosis document.
var ErrNoDocument = errors.New("PDF 中没有嵌入诊断文档（不是本软件生成的报告，或报告来自旧版本）")

// ErrSeveralDocuments means the PDF carries more than one different diagnosis: reading just one
// of them would silently drop the others.
var ErrSeveralDocuments = errors.New("PDF 中嵌入了不止一份诊断文档，无法确定提交的是哪一份；请分别提交各自的 .sdiag 文件或报告")

// ExtractDocument returns the diagnosis document embedded in a report made by this package. The
// bytes are checked against the size and MD5 the PDF records, so a damaged report is an error,
// never a silently different document. The recorded size is checked before inflating and
// inflation stops at it, so no attachment is inflated past MaxDocumentSize and no PDF past
// MaxInflated. A PDF with two different diagnoses is an error (ErrSeveralDocuments).
func ExtractDocument(pdf []byte) ([]byte, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("不是 PDF 文件")
	}
	var firstErr error
	var found []byte
	inflated := 0
	for _, m := range embeddedRe.FindAllSubmatchIndex(pdf, -1) {
		length, err1 := strconv.Atoi(string(pdf[m[2]:m[3]]))
		size, err2 := strconv.Atoi(string(pdf[m[6]:m[7]]))
		if err1 != nil || err2 != nil || length < 0 || size < 0 || m[1]+length > len(pdf) || m[1]+length < m[1] {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件长度无效（文件可能被截断）"))
			continue
		}
		if size > MaxDocumentSize {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件解压后有 %d MB，超过 %d MB 的上限，未解压", size>>20, MaxDocumentSize>>20))
			continue
		}
		if inflated+size > MaxInflated {
			return nil, fmt.Errorf("PDF 中的附件解压后总量超过 %d MB 的上限，停止读取（文件可能是恶意构造的）", MaxInflated>>20)
		}
		inflated += size
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+length]))
		if err != nil {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件已损坏：%v", err))
			continue
		}
		// Inflate at most one byte past the recorded size: a stream that would inflate further
		// is found out without inflating it.
		data := make([]byte, 0, size+1)
		data, err = readAllInto(io.LimitReader(zr, int64(size)+1), data)
		if err != nil || len(data) != size {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件已损坏（解压后长度与记录的 %d 字节不符）", size))
			continue
		}
		sum := md5.Sum(data)
		if hex.EncodeToString(sum[:]) != string(pdf[m[4]:m[5]]) {
			firstErr = orErr(firstErr, fmt.Errorf("PDF 中的附件校验值不符（文件已被修改或损坏）"))
			continue
		}
		// Anywhere in the JSON: a sealed document's keys are sorted, so "format" is not first.
		if !bytes.Contains(data, []byte(`"smartdiag.diagnosis/`)) {
			continue
		}
		if found != nil && !bytes.Equal(found, data) {
			return nil, ErrSeveralDocuments
		}
		found = data
	}
	if found != nil {
		return found, nil
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, ErrNoDocument
}

// readAllInto reads r into buf's free capacity and stops when it is full: it never grows buf, so
// what is inflated is bounded by the capacity the caller chose.
func readAllInto(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			return buf, nil
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func orErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
