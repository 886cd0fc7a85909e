# motcua — two commands do everything on a fresh Debian/Ubuntu machine:
#   make run    installs what is missing, builds, runs the demo office
#   make test   installs what is missing, runs every test with -race
export PATH := $(PATH):/usr/local/go/bin
# Fyne complains under LANG=C; the office's language anyway.
export LANG := vi_VN.UTF-8

# Debian packages: the C toolchain and headers Fyne's cgo build needs.
# espeak-ng makes the stand-in voice clips, alsa-utils (aplay) plays them,
# chromium runs the web boards' tests, poppler-utils reads the PDFs back in tests,
# sane-utils (scanimage) scans papers at the counter (its tests use SANE's test backend),
# gammu-smsd hands the office's SMS to its GSM modem (gammu-smsd-inject; the
# demo and the tests write its files outbox, no modem needed),
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev espeak-ng alsa-utils chromium poppler-utils sane-utils gammu-smsd
# For the tests only (make run stays embedded-only): postgresql, the province's
# database in the replication tests, which start their own server; systemd
# for systemd-analyze verify of the packaged units.
TEST_PACKAGES := postgresql systemd
# axe-core (from npm, pinned) checks the pages a citizen or a clerk opens
# against WCAG 2.1 AA in real Chromium; the tests read it from here.
AXE_VERSION := 4.14.1
export MOTCUA_AXE := $(CURDIR)/.cache/axe/node_modules/axe-core/axe.min.js
GO_TEST_FLAGS ?=
BIN := bin
# The version every program says (motcua-server version, the apps' About, the
# devices page) and the packages carry: from git describe (internal/version).
# Recursive (=): worked out only by the rules that use it.
VERSION = $(shell go run ./internal/version/describe 2>/dev/null || echo dev)
LDFLAGS = -X motcua/internal/version.stamp=$(VERSION)

.PHONY: run test lint build deps test-deps bench bench-year fuzz screenshots clean package

run: deps build
	$(BIN)/motcua-demo --bin $(BIN) --data .demo-data --addr 127.0.0.1:8080

# -timeout 30m: a fresh machine builds the four packages (three Fyne apps, gzip under -race) in TestPackages, which can pass the default 10 minutes on 2 busy cores.
test: test-deps lint
	go test -race -count=1 -timeout 30m $(GO_TEST_FLAGS) ./...

# The lint gate make test runs first: go vet and staticcheck (pinned, through
# go run: no tool to install) over the whole module; a finding fails it.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: deps
	go vet ./...
	go run $(STATICCHECK) ./...

build: deps
	@mkdir -p $(BIN)
	@echo "Build the server / build máy chủ (pure Go)…"
	CGO_ENABLED=0 go build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/motcua-server ./cmd/motcua-demo ./cmd/motcua-bench ./cmd/motcua-province
	@echo "Build the apps / build các ứng dụng (Fyne, cgo): the first build takes several minutes / lần build đầu mất vài phút…"
	go build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/motcua-kiosk ./cmd/motcua-counter ./cmd/motcua-display
	@echo "Voice clips / tạo âm thanh gọi số (espeak-ng)…"
	go run ./cmd/motcua-voice --out $(BIN)/voice

# The Debian packages (docs/INSTALL.md) into dist/: motcua-server, -kiosk,
# -counter, -display, versioned from git describe. make test builds and
# checks them too (cmd/motcua-package's TestPackages).
package: deps
	go run ./cmd/motcua-package --out dist

# Installs only the packages that are absent (apt-get update first, as root or
# through sudo), and checks for Go.
deps:
	@command -v go >/dev/null || { echo "Go 1.26 is needed (https://go.dev/dl) / cần cài Go 1.26"; exit 1; }
	$(call install,$(APT_PACKAGES))

test-deps: deps
	$(call install,$(TEST_PACKAGES))
	@# npm for axe-core: Debian's, unless the machine has its own Node (which Debian's npm would fight)
	@command -v npm >/dev/null || { echo "Installing / cài đặt: nodejs npm"; SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
	@grep -qs '"version": "$(AXE_VERSION)"' $(CURDIR)/.cache/axe/node_modules/axe-core/package.json || \
		npm install --no-audit --no-fund --silent --prefix $(CURDIR)/.cache/axe axe-core@$(AXE_VERSION)

define install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing / cài đặt:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

# Draws the apps' screens (Fyne's software painter, demo office, real server
# in-process) into docs/screenshots/; the printed ticket is the receipt's golden image.
screenshots: deps
	MOTCUA_SCREENSHOTS=$(CURDIR)/docs/screenshots go test -count=1 -run 'TestScreenshot|TestConsoleInChromium|TestPairingScreen|TestFirstLoginChoosesThePIN|TestClosedServiceSaysWhenItOpens' ./kiosk ./counter ./display ./internal/web ./internal/forms
	cp internal/receipt/testdata/ticket.png docs/screenshots/printed-ticket.png

bench: deps
	ulimit -n 20000 2>/dev/null; go run ./cmd/motcua-bench
	go test -run '^$$' -bench . -benchmem ./internal/receipt
	go test -run '^$$' -bench . -benchtime 3x ./internal/scan
	go test -run '^$$' -bench . -benchtime 5x ./internal/province ./internal/replicate
	go test -run '^$$' -bench IssuePinnedApart -benchtime 5x ./cmd/motcua-province
	go test -run '^$$' -bench RemoteTicket -benchtime 1x -count 3 ./internal/provinceweb
	go test -run '^$$' -bench MessageBurst -benchtime 1x -timeout 20m ./cmd/motcua-server
	go test -run '^$$' -bench Standby -benchtime 1x -count 3 -timeout 20m ./cmd/motcua-server

# A province's year verified (docs/PERFORMANCE.md): 150 offices, 3.1 M
# tickets, ~17 M events, 15 GB in a PostgreSQL of its own; ~10 minutes.
bench-year: deps
	MOTCUA_BENCH_YEAR=1 go test -run '^$$' -bench VerifyYear -benchtime 1x -timeout 60m ./internal/province

# Runs each fuzz target for a while (make test runs their seeds only).
FUZZTIME ?= 30s
fuzz:
	go test -run '^$$' -fuzz FuzzAPI -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzDecodeIssue -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzDecodeSettings -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzConsoleForms -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzHead -fuzztime $(FUZZTIME) ./internal/province
	go test -run '^$$' -fuzz FuzzDecodeLogin -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzDecodeCounter -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzDecodeTicketAction -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzDecodePrinted -fuzztime $(FUZZTIME) ./internal/server
	go test -run '^$$' -fuzz FuzzParseConfig -fuzztime $(FUZZTIME) ./cmd/motcua-server
	go test -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME) ./internal/escpos
	go test -run '^$$' -fuzz FuzzParseJSON -fuzztime $(FUZZTIME) ./internal/catalogue
	go test -run '^$$' -fuzz FuzzParseCSV -fuzztime $(FUZZTIME) ./internal/catalogue
	go test -run '^$$' -fuzz FuzzCheck -fuzztime $(FUZZTIME) ./internal/scan
	go test -run '^$$' -fuzz FuzzDecodePage -fuzztime $(FUZZTIME) ./internal/scan
	go test -run '^$$' -fuzz FuzzParseYear -fuzztime $(FUZZTIME) ./internal/calendar
	go test -run '^$$' -fuzz FuzzParseCCCD -fuzztime $(FUZZTIME) ./internal/intake
	go test -run '^$$' -fuzz FuzzParseFileConfig -fuzztime $(FUZZTIME) ./kiosk
	go test -run '^$$' -fuzz FuzzReadWAV -fuzztime $(FUZZTIME) ./internal/voice
	go test -run '^$$' -fuzz FuzzFold -fuzztime $(FUZZTIME) ./internal/vntext
	go test -run '^$$' -fuzz FuzzTelex -fuzztime $(FUZZTIME) ./internal/vntext

clean:
	rm -rf $(BIN) .demo-data
