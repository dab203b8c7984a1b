# Tongban (通办). Quick start on a fresh Debian machine with Swift: `make demo`, `make test`.
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/bin
UNITDIR := $(PREFIX)/lib/systemd/system
SYSUSERSDIR := $(PREFIX)/lib/sysusers.d
TMPFILESDIR := $(PREFIX)/lib/tmpfiles.d
DOCDIR := $(PREFIX)/share/doc/tongban
SYSCONFDIR ?= /etc
SWIFT ?= swift
DEMO_DIR ?= $(CURDIR)/demo
DEMO_PROVINCES ?= 11,31,44
# Debian packages the build, the tests and the demo need.
DEB_PACKAGES := libssl-dev zlib1g-dev libsqlite3-dev openssl systemd python3-venv curl nginx postgresql haproxy

.PHONY: all deps interop-venv build build-tests release test test-services-stop crash adversarial differential bench bench-deps profile soak fuzz fuzz-build demo demo-up demo-down install uninstall check-unit divisions calendar clean

all: build

## deps: install missing system packages (apt, when root), else print the command to run.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all system packages present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: missing$$missing; run: sudo apt-get install -y$$missing"; exit 1; fi

## interop-venv: independent implementations the interop tests check against (PyPI): RFC 9421 signatures, SHACL
## (DCAT-AP shapes), the Prometheus text-format parser, JOSE and JSON Schema (the signed federation manifest).
INTEROP_VENV := .build/interop-venv
interop-venv: deps
	@if ! $(INTEROP_VENV)/bin/python3 -c "import http_message_signatures, requests, pyshacl, prometheus_client, jwcrypto, jsonschema" 2>/dev/null; then \
	  python3 -m venv $(INTEROP_VENV) && $(INTEROP_VENV)/bin/python3 -m pip install -q --disable-pip-version-check \
	    "http-message-signatures==3.0.0" requests "pyshacl==0.40.1" "prometheus-client==0.26.0" "jwcrypto==1.5.6" "jsonschema==4.26.0" && \
	  echo "interop-venv: installed http-message-signatures 3.0.0, pyshacl 0.40.1, prometheus-client 0.26.0, jwcrypto 1.5.6 and jsonschema 4.26.0"; \
	else echo "interop-venv: present"; fi

build: deps
	$(SWIFT) build

build-tests: deps
	$(SWIFT) build --build-tests

## release: optimised executables, linked for a small resident set (docs/performance.md, "Idle memory"): every
## function in its own section, so the linker drops what nothing calls and puts the functions a starting daemon
## runs (STARTUP_ORDER, listed by a profiled start) side by side; lld packs relative relocations (DT_RELR).
## STARTUP_ORDER= links in the compiler's order. After changing these flags, remove .build/release first: the
## compiler keeps object files whose code did not change, whatever the flags.
STARTUP_ORDER ?= $(CURDIR)/Sources/tongband/startup.order
RELEASE_FLAGS ?= -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections \
  -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
  $(if $(STARTUP_ORDER),-Xlinker --symbol-ordering-file=$(STARTUP_ORDER) -Xlinker --no-warn-symbol-ordering)
release: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS)

## test: deps, build everything, run every test (unit and integration, real daemons on loopback).
## Serial (--no-parallel): integration suites pick free loopback ports, which a parallel suite could take first.
test: build-tests interop-venv
	$(SWIFT) test --skip-build --disable-xctest --no-parallel; status=$$?; $(MAKE) --no-print-directory test-services-stop; exit $$status

## test-services-stop: what a test run that crashed may have left: its PostgreSQL cluster (/tmp/tbpg-*) and haproxy.
test-services-stop:
	@for d in /tmp/tbpg-*; do [ -f "$$d/data/postmaster.pid" ] || continue; \
	  pid=$$(head -1 "$$d/data/postmaster.pid"); kill -QUIT "$$pid" 2>/dev/null; echo "test: stopped a PostgreSQL left by a test run in $$d"; done; \
	sleep 0.5; rm -rf /tmp/tbpg-*; pkill -f '[h]aproxy -db -f /tmp/tbfed-' 2>/dev/null || true

## crash: kill -9 the answering gateway 50 times at random moments under load, restarting it each time; after each
## round both audit chains verify and every answer received with 200 has its inbound entry (CRASH_ROUNDS=N).
CRASH_ROUNDS ?= 50
crash: build-tests
	TONGBAN_CRASH_ROUNDS=$(CRASH_ROUNDS) $(SWIFT) test --skip-build --disable-xctest --no-parallel --filter CrashConsistencyTests

## adversarial: generated hostile requests over mutual TLS to a live gateway (docs/security.md, "Hostile requests"), 100,000
## of them in ten classes; a table of cases by class and outcome; fails on any accepted forgery, 5xx, unanswered case,
## code-less refusal or growth of the daemon's open files or memory (ADVERSARIAL_CASES=N; ADVERSARIAL_SEED=S replays a
## run). `make test` runs 2,000.
ADVERSARIAL_CASES ?= 100000
ADVERSARIAL_SEED ?=
adversarial: build-tests
	TONGBAN_ADVERSARIAL_CASES=$(ADVERSARIAL_CASES) $(if $(ADVERSARIAL_SEED),TONGBAN_ADVERSARIAL_SEED=$(ADVERSARIAL_SEED)) \
	  $(SWIFT) test --skip-build --disable-xctest --no-parallel --filter AdversarialTests

## differential: the peer fast path against the general path (docs/performance.md, "The fast path"): two gateways alike
## but for fastPath.enabled are sent the same 100,000 generated requests and must agree on every status, problem code
## and query answer (DIFFERENTIAL_CASES=N; DIFFERENTIAL_SEED=S replays a run). `make test` runs 2,000.
DIFFERENTIAL_CASES ?= 100000
DIFFERENTIAL_SEED ?=
differential: build-tests
	TONGBAN_DIFFERENTIAL_CASES=$(DIFFERENTIAL_CASES) $(if $(DIFFERENTIAL_SEED),TONGBAN_DIFFERENTIAL_SEED=$(DIFFERENTIAL_SEED)) \
	  $(SWIFT) test --skip-build --disable-xctest --no-parallel --filter FastPathDifferentialTests

## bench: the benchmark (docs/performance.md): release build, nginx for the reference, then tongban-bench with
## the server (and nginx) pinned to CPU 0 and the load generator on CPU 1. BENCH_ARGS passes options, e.g.
## BENCH_ARGS="--records 100000 --duration 5" or BENCH_ARGS=--json.
## BENCH_SERVER_CPUS and BENCH_CLIENT_CPUS (taskset lists) move them, e.g. on a larger machine
## BENCH_SERVER_CPUS=0-3 BENCH_CLIENT_CPUS=4-7 to measure how the gateway scales over four cores.
BENCH_ARGS ?=
BENCH_SERVER_CPUS ?= 0
BENCH_CLIENT_CPUS ?= 1
bench-deps: deps
	@if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; then echo "bench: nginx present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "bench: installing nginx-light (the reference server)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	else echo "bench: nginx missing; run: sudo apt-get install -y nginx-light"; exit 1; fi

bench: bench-deps release
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	if [ "$$(nproc)" -ge 2 ]; then pin="taskset -c $(BENCH_CLIENT_CPUS)"; server=$(BENCH_SERVER_CPUS); else pin=""; server=-1; fi; \
	$$pin $$bin/tongban-bench --server-cpu=$$server $(BENCH_ARGS)

## profile: where a scenario's server CPU goes, step by step (docs/performance.md, "Where each microsecond goes"). Two
## bench runs at 10^5 records pinned as for bench: one measures the server's CPU per exchange, the second is sampled by
## perf on the server's core (DWARF call stacks; the profiler's own cost is why the first run gives the figure); then
## docs/tools/profile_steps.py charges every sample to the exchange's step it was taken in. Needs perf (linux-perf).
## PROFILE_SCENARIO=query-1000 profiles the batch.
PROFILE_DIR ?= $(CURDIR)/.build/profile
PROFILE_SCENARIO ?= query-1
profile: bench-deps release
	@command -v perf >/dev/null || { echo "profile: perf missing; run: sudo apt-get install -y linux-perf"; exit 1; }; \
	bin=$$($(SWIFT) build -c release --show-bin-path); rm -rf $(PROFILE_DIR); mkdir -p $(PROFILE_DIR); \
	run() { taskset -c $(BENCH_CLIENT_CPUS) $$bin/tongban-bench --server-cpu=$(BENCH_SERVER_CPUS) --records 100000 --scales "" \
	  --only $(PROFILE_SCENARIO) --nginx none --sm2-records 0 --postgres-records 0 --idle-connections 10 "$$@"; }; \
	echo "profile: $(PROFILE_SCENARIO) without the profiler (its server CPU per exchange)"; \
	run --dir $(PROFILE_DIR)/plain --duration 10 >$(PROFILE_DIR)/plain.log 2>&1 || { tail -5 $(PROFILE_DIR)/plain.log; exit 1; }; \
	us=$$(python3 -c 'import json,sys; print(next(d["server_cpu_us_per_request"] for d in map(json.loads, open(sys.argv[1])) if d.get("scenario") == sys.argv[2]))' $(PROFILE_DIR)/plain/results.jsonl $(PROFILE_SCENARIO)) \
	  || { echo "profile: no server CPU figure for $(PROFILE_SCENARIO) in $(PROFILE_DIR)/plain/results.jsonl"; exit 1; }; \
	echo "profile: $(PROFILE_SCENARIO) sampled by perf for 10 s"; \
	run --dir $(PROFILE_DIR)/sampled --duration 20 >$(PROFILE_DIR)/sampled.log 2>&1 & bench=$$!; \
	until grep -q '  $(PROFILE_SCENARIO) (' $(PROFILE_DIR)/sampled.log 2>/dev/null; do kill -0 $$bench 2>/dev/null || { tail -5 $(PROFILE_DIR)/sampled.log; exit 1; }; sleep 1; done; \
	sleep 3; taskset -c $(BENCH_CLIENT_CPUS) perf record -q -C $(BENCH_SERVER_CPUS) --call-graph dwarf,32768 -F 499 -o $(PROFILE_DIR)/perf.data -- sleep 10 \
	  || { echo "profile: perf record failed (as root, or with kernel.perf_event_paranoid <= 0)"; kill $$bench; exit 1; }; \
	wait $$bench || { tail -5 $(PROFILE_DIR)/sampled.log; exit 1; }; \
	perf script -i $(PROFILE_DIR)/perf.data -F comm,pid,tid,ip,sym --no-inline 2>/dev/null | $(SWIFT) demangle --simplified >$(PROFILE_DIR)/stacks.txt; \
	python3 docs/tools/profile_steps.py $(PROFILE_DIR)/stacks.txt $$us >$(PROFILE_DIR)/steps.txt || exit 1; cat $(PROFILE_DIR)/steps.txt; \
	python3 -c 'import json,sys; d=next(d for d in map(json.loads, open(sys.argv[1])) if "verify_per_second" in d); print("\nP-256 in process, the same minutes (the check on the P-256 rows): verify %.1f µs, sign %.1f µs" % (1e6 / d["verify_per_second"], 1e6 / d["sign_per_second"]))' $(PROFILE_DIR)/plain/results.jsonl | tee -a $(PROFILE_DIR)/steps.txt

## soak: the answering gateway under a steady load for SOAK_SECONDS (default 1800; docs/security.md, "Soak"): release
## build, pinned as for bench; query-1's closed-loop rate measured, then 80 % of it open loop, fresh request ids, both
## daemons' RSS and descriptors sampled every 30 s. Exits 2 on any error, RSS growth over 10 % after the warm-up (two
## replay windows), growth in descriptors other than live connections, or a load not held. SOAK_ARGS passes options, e.g. SOAK_ARGS="--json --records 100000".
SOAK_SECONDS ?= 1800
SOAK_ARGS ?=
soak: release
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	if [ "$$(nproc)" -ge 2 ]; then pin="taskset -c $(BENCH_CLIENT_CPUS)"; server=$(BENCH_SERVER_CPUS); else pin=""; server=-1; fi; \
	$$pin $$bin/tongban-bench --server-cpu=$$server --dir $(CURDIR)/.build/soak --soak $(SOAK_SECONDS) $(SOAK_ARGS)

## fuzz: libFuzzer on the hand-written parsers (docs/fuzzing.md), each target differential against the library or
## the property it must keep; FUZZ_SECONDS each (default 600), one at a time, then a table of exec/s, coverage,
## corpus and findings; exits 1 on any crash or difference (saved under .build-fuzz/artifacts/TARGET/).
## FUZZ_TARGETS picks some, e.g. `make fuzz FUZZ_TARGETS="sf json" FUZZ_SECONDS=60`. The targets are the separate
## package Fuzz/ (built in .build-fuzz with -sanitize=fuzzer,address; libFuzzer comes with the Swift toolchain),
## so a plain `swift build` or `make test` never builds them.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= sf json signature canonical digest sm2 manifest config uuid time import
FUZZ_BUILD := $(CURDIR)/.build-fuzz
fuzz-build: deps
	@usr=$$(dirname $$(dirname $$(readlink -f $$(command -v $(SWIFT))))); \
	if [ -z "$$(find $$usr/lib -name 'libclang_rt.fuzzer-*.a' -print -quit)" ]; then \
	  echo "fuzz: the Swift toolchain in $$usr has no libFuzzer (libclang_rt.fuzzer); a swift.org toolchain has"; exit 1; fi; \
	mkdir -p $(FUZZ_BUILD); \
	echo '{"schemaVersion": "1.0", "linker": {"path": "'$$usr/bin/ld.lld'"}}' > $(FUZZ_BUILD)/toolset.json; \
	echo "fuzz: building the fuzz targets (release, -sanitize=fuzzer,address; lld: gold fails on the sanitizers' objects)"; \
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) -c release --toolset $(FUZZ_BUILD)/toolset.json \
	  -Xswiftc -sanitize=fuzzer,address

fuzz: fuzz-build
	@Fuzz/run.sh $(FUZZ_BUILD) "$(FUZZ_TARGETS)" $(FUZZ_SECONDS)

## demo: a three-province federation on loopback; Ctrl-C stops it (DEMO_WAIT=0 stops at once).
demo: release
	@bin=$$($(SWIFT) build -c release --show-bin-path); ctl=$$bin/tongbanctl; \
	$$ctl demo down --dir $(DEMO_DIR) >/dev/null 2>&1; \
	$$ctl demo up --dir $(DEMO_DIR) --provinces $(DEMO_PROVINCES) || exit 1; \
	trap '$$ctl demo down --dir $(DEMO_DIR)' EXIT; \
	for code in $$(echo $(DEMO_PROVINCES) | tr ',' ' '); do \
	  sock=$(DEMO_DIR)/$$code/admin.sock; \
	  echo; echo "=== province $$code: tongbanctl status --socket $$sock"; $$ctl status --socket $$sock || exit 1; \
	  echo; echo "=== province $$code: tongbanctl peers list --socket $$sock"; $$ctl peers list --socket $$sock || exit 1; \
	done; \
	first=$$(echo $(DEMO_PROVINCES) | cut -d, -f1); \
	echo; echo "=== every province's resource directory: tongbanctl catalog list --all --socket $(DEMO_DIR)/$$first/admin.sock"; \
	$$ctl catalog list --all --socket $(DEMO_DIR)/$$first/admin.sock || exit 1; \
	$$ctl demo tour --dir $(DEMO_DIR) || exit 1; \
	echo; echo "federation files: $(DEMO_DIR)/federation.json (sample subjects per resource under 'samples')"; \
	if [ "$${DEMO_WAIT:-1}" != 0 ]; then echo "running; press Ctrl-C to stop"; trap 'exit 0' INT TERM; while true; do sleep 1; done; fi

demo-down:
	@$$($(SWIFT) build -c release --show-bin-path)/tongbanctl demo down --dir $(DEMO_DIR)

## install: binaries, systemd unit, sysusers.d and tmpfiles.d entries, example configuration, docs.
install: release
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/tongban; \
	install -m 0755 $$bin/tongband $$bin/tongbanctl $(DESTDIR)$(BINDIR)/; \
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/tongban/|$(SYSCONFDIR)/tongban/|g' systemd/tongband.service \
	  > $(DESTDIR)$(UNITDIR)/tongband.service; chmod 0644 $(DESTDIR)$(UNITDIR)/tongband.service; \
	install -m 0644 systemd/tongban.sysusers $(DESTDIR)$(SYSUSERSDIR)/tongban.conf; \
	install -m 0644 systemd/tongban.tmpfiles $(DESTDIR)$(TMPFILESDIR)/tongban.conf; \
	install -m 0640 systemd/tongband.example.yaml $(DESTDIR)$(SYSCONFDIR)/tongban/tongband.yaml.example; \
	install -m 0640 systemd/catalogue.example.yaml $(DESTDIR)$(SYSCONFDIR)/tongban/catalogue.yaml.example; \
	install -m 0644 README.md docs/*.md certs/*.cnf systemd/haproxy-tongban.cfg $(DESTDIR)$(DOCDIR)/ && install -m 0644 certs/README.md $(DESTDIR)$(DOCDIR)/certificates.md; \
	echo "installed into $(DESTDIR)$(PREFIX) (config example: $(DESTDIR)$(SYSCONFDIR)/tongban/tongband.yaml.example)"; \
	echo "next: systemd-sysusers; systemd-tmpfiles --create; edit $(SYSCONFDIR)/tongban/tongband.yaml; systemctl enable --now tongband"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tongband $(DESTDIR)$(BINDIR)/tongbanctl $(DESTDIR)$(UNITDIR)/tongband.service \
	  $(DESTDIR)$(SYSUSERSDIR)/tongban.conf $(DESTDIR)$(TMPFILESDIR)/tongban.conf
	rm -rf $(DESTDIR)$(DOCDIR)

## check-unit: systemd-analyze verify and the security exposure score of the unit.
check-unit: build-tests
	@tmp=$$(mktemp -d); bin=$$($(SWIFT) build --show-bin-path); \
	sed "s|/usr/local/bin/|$$bin/|g" systemd/tongband.service > $$tmp/tongband.service; \
	systemd-analyze verify $$tmp/tongband.service && echo "systemd-analyze verify: clean"; \
	systemd-analyze security --offline=yes $$tmp/tongband.service | tail -1; rm -rf $$tmp

## divisions: regenerate the embedded GB/T 2260 table from its TSV.
divisions:
	@tsv=Sources/TongbanCore/Divisions/gb2260-codes.tsv; out=Sources/TongbanCore/Divisions/AdministrativeDivisions+Data.swift; \
	{ echo "// Generated by 'make divisions' from gb2260-codes.tsv (GB/T 2260 codes 1980-2019). Do not edit."; \
	  echo "extension AdministrativeDivisions {"; \
	  echo "    /// The rows of \`gb2260-codes.tsv\` without its header: code, name, first and last revision."; \
	  echo '    static let embeddedTSV = #"""'; tail -n +2 $$tsv; echo '"""#'; echo "}"; } > $$out; echo "wrote $$out"

## calendar: regenerate the embedded working-day calendar (WorkdayCalendar.bundled) from its TSV.
calendar:
	@tsv=Sources/TongbanCore/Calendar/cn-workday-calendar.tsv; out=Sources/TongbanCore/Calendar/WorkdayCalendar+Data.swift; \
	{ echo "// Generated by 'make calendar' from cn-workday-calendar.tsv (the State Council's holiday arrangements). Do not edit."; \
	  echo "extension WorkdayCalendar {"; \
	  echo "    /// The text of \`cn-workday-calendar.tsv\`, comments included."; \
	  echo '    static let embeddedTSV = #"""'; cat $$tsv; echo '"""#'; echo "}"; } > $$out; echo "wrote $$out"

clean:
	rm -rf .build .build-fuzz $(DEMO_DIR)
