package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bianmin/internal/app"
	"bianmin/internal/testkit"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns their files.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bianmin test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// Finding 8: with -tls-cert and -tls-key Bianmin serves HTTPS itself; its cookies are Secure and its answers
// carry Strict-Transport-Security.
func TestServeTLS(t *testing.T) {
	certFile, keyFile := selfSigned(t)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: testkit.SQLite(t).URL, Service: testkit.FastConfig(),
		TLSCert: certFile, TLSKey: keyFile, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := m.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		m.Close()
	}()
	if !strings.HasPrefix(m.Web.PublicURL, "https://") {
		t.Errorf("public address %q is not https", m.Web.PublicURL)
	}
	client := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.PostForm("https://"+addr+"/lang/mn", url.Values{"back": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security over TLS")
	}
	if len(resp.Cookies()) == 0 {
		t.Fatal("no cookie")
	}
	for _, c := range resp.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure over TLS", c.Name)
		}
	}
	// Plain HTTP to the TLS port is refused, not answered in the clear.
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP answered 200 on the TLS port")
		}
		resp.Body.Close()
	}
}

func TestTLSNeedsBothFiles(t *testing.T) {
	_, err := app.Open(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: testkit.SQLite(t).URL, Service: testkit.FastConfig(),
		TLSCert: "cert.pem", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		t.Error("a certificate without its key was accepted")
	}
}
