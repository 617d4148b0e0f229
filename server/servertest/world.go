package servertest

import (
	"context"
	"testing"

	"smartdiag/server"
)

// Names in World.
const (
	City        = "南京市"
	District    = "江宁区"
	District2   = "浦口区"
	ProviderA   = "甲服务商"
	ProviderB   = "乙服务商"
	Officer     = "jn-officer"
	Officer2    = "pk-officer"
	CityViewer  = "nj-city"
	AdminA      = "jia-admin"
	ConsultantA = "jia-gu"
	ConsultantB = "yi-gu"
	Password    = "correct horse battery"
	RosterFirms = 10
)

// World is a city with two districts and two providers: firms 0–4 of 江宁区's roster are
// assigned to 甲服务商, 5–9 to 乙服务商; 浦口区 has the same roster and no packages.
type World struct {
	Svc    *server.Service
	Tokens map[string]string // user name → API token
	P      map[string]*server.Principal
}

// NewWorld sets the world up through the service, as the setup commands do.
func NewWorld(t testing.TB, st server.Store) *World {
	t.Helper()
	ctx := context.Background()
	svc := server.NewService(st)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.AddOrg(ctx, server.KindCity, City, "", nil)
	must(err)
	for _, d := range []string{District, District2} {
		_, err = svc.AddOrg(ctx, server.KindDistrict, d, City, nil)
		must(err)
	}
	for _, p := range []string{ProviderA, ProviderB} {
		_, err = svc.AddOrg(ctx, server.KindProvider, p, "", nil)
		must(err)
	}
	users := []struct {
		org, name, role string
		key             bool
	}{
		{District, Officer, "officer", false},
		{District2, Officer2, "officer", false},
		{City, CityViewer, "city_viewer", false},
		{ProviderA, AdminA, "provider_admin", false},
		{ProviderA, ConsultantA, "consultant", true},
		{ProviderB, ConsultantB, "consultant", true},
	}
	w := &World{Svc: svc, Tokens: map[string]string{}, P: map[string]*server.Principal{}}
	for _, u := range users {
		var key []byte
		pw := Password
		if u.key {
			// Consultants log in with their sealing key; no password (argon2 is slow under -race).
			key, pw = PublicKeyFile(t, u.name, u.org), ""
		}
		_, err := svc.AddUser(ctx, u.org, u.name, u.role, key, pw)
		must(err)
		tok, err := svc.AddToken(ctx, u.name)
		must(err)
		w.Tokens[u.name] = tok
		p, err := svc.Authenticate(ctx, tok)
		must(err)
		w.P[u.name] = p
	}
	for _, d := range []string{District, District2} {
		_, err := svc.SetupRoster(ctx, d, "名册.csv", Roster(RosterFirms))
		must(err)
	}
	var a, b []string
	for i := range RosterFirms {
		if i < RosterFirms/2 {
			a = append(a, Code(i))
		} else {
			b = append(b, Code(i))
		}
	}
	_, err = svc.AddPackage(ctx, w.P[Officer], server.PackageInput{Name: "2026 第一批", Start: "2026-03-01", End: "2026-06-30",
		Assignments: map[string][]string{ProviderA: a, ProviderB: b}})
	must(err)
	return w
}
