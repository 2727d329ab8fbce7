# Keyturn's two commands: `make serve` runs the server on its embedded defaults
# (the example scenario); `make test` runs every test: Rust, Python, Node and C.
# .ci/run calls `make test` and nothing else. See docs/testing.md.

CARGO ?= cargo
PYTHON ?= python3
NPM ?= npm
NODE ?= node

CLIENTS := crates/keyturn-cli/tests/clients
VENV := target/venv
KEYTURN_BIN := $(CURDIR)/target/debug/keyturn

include bindings/bindings.mk

.PHONY: serve test test-all test-rust test-standalone test-clients test-python test-node keyturn-bin system-deps bench-load bench-writes

serve:
	$(CARGO) run --release --bin keyturn -- serve

# The client suites come last so that the output ends with their runners' summaries. A throwaway
# PostgreSQL server (scripts/pg-test-server.sh: initdb and pg_ctl in a temporary directory, as an
# unprivileged user under root) serves the suites that need one, and is stopped afterwards, even
# on a failure; KEYTURN_TEST_DATABASE_URL tells them where it is.
test:
	scripts/pg-test-server.sh run $(MAKE) --no-print-directory test-all

test-all: test-rust test-standalone test-bindings test-clients

# The SAML plugin's tests sign fresh responses with xmlsec1 and make keys with openssl; the
# console's browser tests (test_console.py) drive Debian's headless chromium with chromedriver;
# keyturn-sigv4's tests/chunked.rs captures boto3's S3 uploads with the client venv.
# clippy checks every package and target of the workspace, benches included (its heavy
# baselines are optional features, off here), with warnings as errors.
test-rust: system-deps $(VENV)/.installed
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) test --locked

# A clone of the current commit alone, with no ../shared beside it, builds and passes
# `cargo test` (Rust only): the tests that read ../shared skip with a `skipped: ...` notice,
# the SigV4 suite falls back to the aws-sigv4 crate's copy. The clone goes under a fresh
# target/standalone-src-XXXXXX/ (removed afterwards), not /tmp: Cargo reads `.cargo/config.toml`
# in every directory above the one it runs in, so a clone under /tmp would pick up whatever
# configuration other programs left there, which this tree's build never sees. Its build goes
# to target/standalone. It
# cannot share this tree's target/: cargo hashes workspace crates by their path relative to the
# workspace, so the clone's artifacts (with its absolute paths baked in) would replace this tree's.
# Uncommitted changes are not in the clone. On a failure the error, failure and panic lines are
# repeated at the end, with the free disk (CI shows the end of the output).
STANDALONE_TARGET := $(CURDIR)/target/standalone
test-standalone: system-deps
	@set -e; \
	mkdir -p "$(CURDIR)/target"; \
	tmp=$$(mktemp -d "$(CURDIR)/target/standalone-src-XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; \
	git clone --quiet "$(CURDIR)" "$$tmp/k"; \
	git -C "$$tmp/k" checkout --quiet --detach "$$(git -C "$(CURDIR)" rev-parse HEAD)"; \
	test ! -e "$$tmp/shared"; \
	echo "test-standalone: cargo test --locked in $$tmp/k ($$(git -C "$$tmp/k" rev-parse --short HEAD), no ../shared)"; \
	cd "$$tmp/k"; \
	{ rc=0; CARGO_TARGET_DIR="$(STANDALONE_TARGET)" $(CARGO) test --locked --no-fail-fast 2>&1 || rc=$$?; echo $$rc > "$$tmp/rc"; } \
		| tee "$$tmp/log"; \
	if [ "$$(cat "$$tmp/rc")" != 0 ]; then \
		echo "test-standalone FAILED (exit $$(cat "$$tmp/rc")); its error, failure and panic lines:"; \
		grep -E '^(error|warning: build failed)|FAILED|[1-9][0-9]* failed;|panicked at|No space|Killed|signal:' "$$tmp/log" \
			| grep -v panicking-plugin | cut -c1-300 | tail -60; \
		df -h "$(CURDIR)" /tmp; \
		exit 1; \
	fi

test-clients: test-python test-node test-moto-smoke

# The binary, the identity-provider plugins that the federation tests load from its config, and
# the plugin that hangs (test_limits.py: the per-call deadline).
keyturn-bin:
	$(CARGO) build --locked -p keyturn-cli -p keyturn-oidc -p keyturn-saml -p keyturn-plugin-fixture-hang

# The venv is rebuilt when requirements.txt changes.
$(VENV)/.installed: $(CLIENTS)/python/requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r $<
	touch $@

$(CLIENTS)/node/node_modules/.package-lock.json: $(CLIENTS)/node/package-lock.json
	cd $(CLIENTS)/node && $(NPM) ci --no-audit --no-fund

# System tools the suites use, installed only when missing (CI runs as root on a fresh image):
# xmlsec1 and openssl sign the SAML responses of the federation tests.
system-deps:
	@command -v xmlsec1 >/dev/null && command -v openssl >/dev/null \
		|| (apt-get update -q && apt-get install -y -q xmlsec1 openssl)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null \
		|| (apt-get update -q && apt-get install -y -q chromium chromium-driver) \
		|| echo "system-deps: chromium could not be installed; the console's browser tests skip"

# pytest exits 5 when it collected no test: that is a failure here too (any non-zero status is).
test-python: keyturn-bin system-deps $(VENV)/.installed
	cd $(CLIENTS)/python && KEYTURN_BIN=$(KEYTURN_BIN) $(CURDIR)/$(VENV)/bin/pytest

test-node: keyturn-bin $(CLIENTS)/node/node_modules/.package-lock.json
	cd $(CLIENTS)/node && KEYTURN_BIN=$(KEYTURN_BIN) $(NODE) --test --test-reporter=tap sts.test.mjs federation.test.mjs outbound.test.mjs

# Not part of `make test`: release build, keyturn and moto_server under wrk (see docs/performance.md);
# bench-writes: IAM writes on SQLite and AssumeRole under a writer (benches/load/README.md).
bench-load:
	benches/load/run.sh

bench-writes:
	benches/load/writes.sh
# ---- moto's own suites (docs/moto.md): moto's sdist (with its tests/) from PyPI, unmodified, in
# moto's server mode against `keyturn serve --compat moto`; counts per suite. Not part of
# `make test` (minutes, and it needs PyPI); `test-moto-smoke`, a handful of them, is.
MOTO_VERSION := 5.2.6
MOTO_DIR := target/moto
MOTO_SRC := $(MOTO_DIR)/moto-$(MOTO_VERSION)
MOTO_VENV := target/venv-moto-tests
MOTO_SUITES := tests/test_sts tests/test_core/test_auth.py tests/test_iam
# Tests that pass on Keyturn's own behaviour (bootstrap keys, reset, reset-auth, real checks).
MOTO_SMOKE := \
	tests/test_core/test_auth.py::test_invalid_client_token_id \
	tests/test_sts/test_sts.py::test_federation_token_with_too_long_policy \
	tests/test_iam/test_iam.py::test_get_user \
	tests/test_iam/test_iam.py::test_create_user_with_tags \
	tests/test_iam/test_iam.py::test_list_user_tags \
	tests/test_iam/test_iam_response_attributes.py::test_policy_resource_returns_subset_of_available_attributes \
	tests/test_iam/test_iam.py::test_create_service_linked_role__with_suffix

.PHONY: test-moto test-moto-smoke

$(MOTO_SRC)/.extracted:
	mkdir -p $(MOTO_DIR)
	$(PYTHON) -m pip download --quiet --no-binary :all: --no-deps moto==$(MOTO_VERSION) -d $(MOTO_DIR)
	tar -xzf $(MOTO_DIR)/moto-$(MOTO_VERSION).tar.gz -C $(MOTO_DIR)
	touch $@

$(MOTO_VENV)/.installed:
	rm -rf $(MOTO_VENV)
	$(PYTHON) -m venv $(MOTO_VENV)
	$(MOTO_VENV)/bin/pip install --quiet "moto[server]==$(MOTO_VERSION)" pytest freezegun
	touch $@

test-moto: keyturn-bin $(MOTO_SRC)/.extracted $(MOTO_VENV)/.installed
	$(MOTO_VENV)/bin/python $(CLIENTS)/moto/run.py --keyturn $(KEYTURN_BIN) --moto-src $(MOTO_SRC) \
		--out $(MOTO_DIR)/results --require-explained $(MOTO_SUITES)
	$(MOTO_VENV)/bin/python $(CLIENTS)/moto/run.py --keyturn $(KEYTURN_BIN) --moto-src $(MOTO_SRC) \
		--out $(MOTO_DIR)/results --require-explained --valid-setup

# Fails when any of these fails.
test-moto-smoke: keyturn-bin $(MOTO_SRC)/.extracted $(MOTO_VENV)/.installed
	$(MOTO_VENV)/bin/python $(CLIENTS)/moto/run.py --keyturn $(KEYTURN_BIN) --moto-src $(MOTO_SRC) \
		--out $(MOTO_DIR)/smoke --require-pass --together smoke $(MOTO_SMOKE)

# Fuzzing (nightly and cargo-fuzz: `cargo +nightly install cargo-fuzz --locked`). `make fuzz`
# runs every target in turn for FUZZ_SECONDS each (or FUZZ_RUNS executions, whichever comes
# first), from its committed corpus and seeds; new inputs go to fuzz/corpus-run/<target>/,
# crashes to fuzz/artifacts/<target>/. `make fuzz FUZZ_TARGETS=policy` runs one.
# `make fuzz-cmin` merges what the runs found into the committed corpora, minimised.
# `make test` replays the committed corpora on stable (crates/keyturn-fuzz/tests/replay.rs).
# See docs/fuzzing.md.
FUZZ_SECONDS ?= 600
FUZZ_RUNS ?= 10000000
FUZZ_TARGETS ?= wire claims query policy token config sigv4 oidc saml http
FUZZ_FLAGS ?= -max_len=16384 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1
FUZZ_BIN := fuzz/target/x86_64-unknown-linux-gnu/release

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-cmin

fuzz-build:
	cd fuzz && $(CARGO) +nightly fuzz build -s none -a

fuzz-seeds:
	$(PYTHON) fuzz/seed.py

fuzz: fuzz-build fuzz-seeds
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus-run/$$t fuzz/corpus/$$t fuzz/seeds/$$t fuzz/artifacts/$$t fuzz/logs; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s or $(FUZZ_RUNS) runs (log: fuzz/logs/$$t.log)"; \
		$(FUZZ_BIN)/$$t fuzz/corpus-run/$$t fuzz/corpus/$$t fuzz/seeds/$$t \
			-runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
			-artifact_prefix=fuzz/artifacts/$$t/ > fuzz/logs/$$t.log 2>&1 \
			|| { tail -40 fuzz/logs/$$t.log; exit 1; }; \
		grep -E '^#[0-9]+ *DONE|stat::number_of_executed_units|stat::average_exec_per_sec' fuzz/logs/$$t.log; \
	done

fuzz-cmin: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus-run/$$t fuzz/seeds/$$t fuzz/corpus/$$t; \
		tmp=$$(mktemp -d fuzz/cmin-XXXXXX); \
		$(FUZZ_BIN)/$$t -merge=1 $(FUZZ_FLAGS) $$tmp fuzz/corpus/$$t fuzz/corpus-run/$$t fuzz/seeds/$$t \
			> fuzz/logs/$$t-cmin.log 2>&1; \
		rm -rf fuzz/corpus/$$t; mv $$tmp fuzz/corpus/$$t; \
		echo "fuzz-cmin: $$t: $$(ls fuzz/corpus/$$t | wc -l) inputs, $$(du -sh fuzz/corpus/$$t | cut -f1)"; \
	done
