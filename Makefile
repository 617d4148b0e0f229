# smartdiag — two commands for a newcomer: `make run` opens the app, `make test` runs the tests.

GO      ?= go
TAGS    := migrated_fynedo
BIN     := smartdiag
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X smartdiag/cli.Version=$(VERSION)

# Fyne logs locale errors under LANG=C or an unset LANG; default to Chinese.
ifeq ($(filter-out C POSIX,$(LANG)),)
export LANG := zh_CN.UTF-8
endif

# Debian packages the GUI build needs (cgo, OpenGL and X11 headers).
APT_DEPS := gcc libgl1-mesa-dev xorg-dev

.PHONY: run build test vet staticcheck bench fuzz deps clean

# staticcheck at a fixed version, fetched through the module proxy by `go run` (cached after the
# first run).
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

run: deps build
	./$(BIN)

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

# The race detector is on: the app saves and renders reports off the UI goroutine.
test: vet staticcheck
	$(GO) test -race -timeout 30m -tags $(TAGS),ci ./...
	# Under -race the every-byte seal test samples; without it, it flips every byte.
	$(GO) test -tags $(TAGS),ci -run 'TestEveryChangedByteIsCaught' ./seal/

staticcheck:
	$(STATICCHECK) -tags $(TAGS),ci ./...

vet:
	$(GO) vet -tags $(TAGS) ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Benchmarks, never part of `make test`. The district server's load and scale runs (100 uploaders
# over 127.0.0.1, the 60,000-diagnosis tally on SQLite and PostgreSQL) are in server/bench;
# figures and commands in docs/benchmarks.md.
bench:
	$(GO) test -tags $(TAGS),ci -run '^$$' -bench . -benchmem ./...
	@if command -v soffice >/dev/null && command -v pdftotext >/dev/null; then \
		$(GO) run -tags $(TAGS) ./scripts/versuslibreoffice; \
	else echo "skipping the LibreOffice comparison: needs soffice (libreoffice-writer-nogui) and pdftotext"; fi

# Every fuzz target of every package for a short, fixed time (FUZZTIME=20s by default); see
# scripts/fuzz.sh. Minimising a new interesting input is bounded by executions, so it cannot
# outlast a short -fuzztime on a slow disk.
FUZZTIME ?= 20s
FUZZMINIMIZE ?= 500x
fuzz:
	@scripts/fuzz.sh $(GO) $(TAGS) $(FUZZTIME) $(FUZZMINIMIZE)

# Installs missing build dependencies on Debian/Ubuntu when it can (root or sudo); elsewhere it
# only says what is missing.
deps:
	@command -v $(GO) >/dev/null || { echo "需要 Go 1.26 或更新版本：https://go.dev/dl/ (Go 1.26+ required)"; exit 1; }
	@if command -v dpkg-query >/dev/null 2>&1; then \
		missing=""; \
		for p in $(APT_DEPS); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
		done; \
		if [ -n "$$missing" ]; then \
			echo "安装构建依赖 (installing build dependencies):$$missing"; \
			if [ "$$(id -u)" = 0 ]; then SUDO=""; \
			elif command -v sudo >/dev/null; then SUDO="sudo"; \
			else echo "请以 root 身份安装：apt-get install$$missing"; exit 1; fi; \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
		fi; \
	fi

clean:
	rm -f $(BIN) $(BIN).exe

# Release builds (issue 7). `make dist` writes to dist/: smartdiag.exe (Windows x86-64 GUI program,
# cross-compiled with MinGW, icon and version information embedded), a Windows .zip and a Linux
# .tar.gz, stamped with `git describe` and the commit (override: make dist DIST_VERSION=1.0.0).
# `make dist-check` runs the Windows build's subcommands under Wine when Debian offers it.
# See scripts/dist.sh, scripts/dist-check.sh and docs/benchmarks.md (Builds).
DIST_APT_DEPS := gcc-mingw-w64-x86-64 zip

.PHONY: dist dist-check
dist: deps
	@$(MAKE) --no-print-directory deps APT_DEPS="$(DIST_APT_DEPS)"
	GO="$(GO)" TAGS="$(TAGS)" sh scripts/dist.sh

dist-check:
	@test -f dist/smartdiag.exe || $(MAKE) --no-print-directory dist
	GO="$(GO)" sh scripts/dist-check.sh
