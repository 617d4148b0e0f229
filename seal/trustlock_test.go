package seal

import (
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 11 item 6: concurrent changes to one trust list file (two `trust add` at once, a remove
// racing an add) all land; before, each process saved the list it had read and lost the others'.
func TestTrustListConcurrentChangesAllLand(t *testing.T) {
	path := filepath.Join(t.TempDir(), TrustFileName)
	victim, _ := keyFile(t, "将被移除", "旧服务商")
	base, _ := LoadTrustList(path)
	if _, err := base.AddKey(victim, "旧服务商", trustNow); err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		kf, _ := keyFile(t, fmt.Sprintf("顾问%d", i), fmt.Sprintf("服务商%d", i))
		l, err := LoadTrustList(path) // each "process" reads the list before any saves
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if _, err := l.AddKey(kf, "", trustNow); err != nil {
				t.Error(err)
			}
		})
	}
	rm, _ := LoadTrustList(path)
	wg.Go(func() {
		if _, err := rm.Remove("旧服务商"); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	final, err := LoadTrustList(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(final.Keys) != n {
		t.Fatalf("%d keys after %d adds and a remove: %v", len(final.Keys), n, final.Keys)
	}
	for _, k := range final.Keys {
		if k.Name == "旧服务商" {
			t.Fatal("a removed key came back")
		}
	}
}

// Issue 11 item 3: demo keys are refused without the demo flag, under any name, and marked when
// allowed; an ordinary key is not a demo key.
func TestTrustAddRefusesDemoKeys(t *testing.T) {
	l := &TrustList{}
	pub := DemoKey("南京工业互联网服务中心（示例）").Public().(ed25519.PublicKey)
	kf, _ := NewPublicKeyFile(pub, Signer{Name: "某人", Organisation: "改了名的正规公司"}, time.Now()).Encode()
	for _, name := range []string{"", "正规服务商"} {
		if _, err := l.AddKey(kf, name, trustNow); err == nil || !strings.Contains(err.Error(), "演示密钥") {
			t.Fatalf("a demo key was trusted as %q: %v", name, err)
		}
	}
	k, err := l.AddKey(kf, "试用", trustNow, true)
	if err != nil || !k.Demo || !l.IsDemo(pub) {
		t.Fatalf("with the flag: %+v %v", k, err)
	}
	own, _ := keyFile(t, "沈立新", "江苏智造")
	if k, err := l.AddKey(own, "", trustNow); err != nil || k.Demo {
		t.Fatalf("an ordinary key: %+v %v", k, err)
	}
}
