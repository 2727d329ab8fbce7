# The bindings' build and test targets, included by the top-level Makefile.
# `test-bindings` is part of `make test`.

.PHONY: test-bindings
test-bindings: test-bindings-c test-bindings-node test-python-binding

# ---- C (bindings/c): libkeyturn.so/.a from the workspace's target/, the C programs under
# gcc -std=c11 -Wall -Wextra -Werror (one against the .so via pkg-config, one against the .a),
# then both under valgrind. The header drift test is part of `cargo test` (test-rust).
.PHONY: test-bindings-c install-bindings-c
KT_C := bindings/c
KT_C_OUT := target/bindings-c
# The workspace's target/ (or $CARGO_TARGET_DIR when set).
KT_TARGET := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
KT_C_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
KT_C_CFLAGS := -std=c11 -Wall -Wextra -Werror -g
KT_VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect
PREFIX ?= /usr/local

# keyturn.pc for a given prefix: $(call kt_c_pc,PREFIX,LIBDIR,INCLUDEDIR,OUT)
kt_c_pc = sed -e 's|@PREFIX@|$(1)|' -e 's|@LIBDIR@|$(2)|' -e 's|@INCLUDEDIR@|$(3)|' \
	-e 's|@VERSION@|$(KT_C_VERSION)|' $(KT_C)/keyturn.pc.in > $(4)

test-bindings-c:
	@command -v gcc >/dev/null && command -v valgrind >/dev/null && command -v pkg-config >/dev/null \
		|| (apt-get update -q && apt-get install -y -q gcc valgrind pkg-config)
	$(CARGO) build --locked -p keyturn-c
	rm -rf $(KT_C_OUT) && mkdir -p $(KT_C_OUT)/pkgconfig
	$(call kt_c_pc,$(CURDIR),$(KT_TARGET)/debug,$(CURDIR)/$(KT_C)/include,$(KT_C_OUT)/pkgconfig/keyturn.pc)
	gcc $(KT_C_CFLAGS) $$(PKG_CONFIG_PATH=$(KT_C_OUT)/pkgconfig pkg-config --cflags keyturn) \
		$(KT_C)/tests/c/sigv4_suite.c -o $(KT_C_OUT)/sigv4_suite \
		$$(PKG_CONFIG_PATH=$(KT_C_OUT)/pkgconfig pkg-config --libs keyturn) -Wl,-rpath,$(KT_TARGET)/debug
	gcc $(KT_C_CFLAGS) -I$(KT_C)/include $(KT_C)/tests/c/http_handler.c -o $(KT_C_OUT)/http_handler \
		$(KT_TARGET)/debug/libkeyturn.a -lpthread -ldl -lm
	gcc $(KT_C_CFLAGS) -I$(KT_C)/include $(KT_C)/tests/c/chunked_upload.c -o $(KT_C_OUT)/chunked_upload \
		$(KT_TARGET)/debug/libkeyturn.a -lpthread -ldl -lm
	sed -e 's|^keyring:.*|keyring: $(CURDIR)/$(KT_C_OUT)/keyring.json|' -e 's|^  sqlite: .*|  memory: true|' \
		-e '/audit_log/d' docs/examples/cross-account.yaml > $(KT_C_OUT)/seed.yaml
	@if [ -d $(KT_C_VANILLA) ]; then \
		set -x; \
		$(KT_C_OUT)/sigv4_suite $(KT_C_VANILLA) $(KT_C_OUT)/keyring-suite.json \
		&& $(KT_VALGRIND) $(KT_C_OUT)/sigv4_suite $(KT_C_VANILLA) $(KT_C_OUT)/keyring-suite.json; \
	else \
		echo "skipped: ../shared/vectors/sigv4/v4/get-vanilla not found (sigv4_suite)"; \
	fi
	$(KT_C_OUT)/http_handler $(KT_C_OUT)/seed.yaml $(KT_C)/tests/data/boto3-s3-get.http $(KT_C)/tests/data/boto3-s3-get.time
	$(KT_VALGRIND) $(KT_C_OUT)/http_handler $(KT_C_OUT)/seed.yaml $(KT_C)/tests/data/boto3-s3-get.http $(KT_C)/tests/data/boto3-s3-get.time
	$(KT_C_OUT)/chunked_upload $(KT_C_OUT)/seed.yaml $(KT_C)/tests/data
	$(KT_VALGRIND) $(KT_C_OUT)/chunked_upload $(KT_C_OUT)/seed.yaml $(KT_C)/tests/data

# Installs libkeyturn (release build), keyturn.h and keyturn.pc under $(PREFIX).
install-bindings-c:
	$(CARGO) build --locked --release -p keyturn-c
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0644 $(KT_TARGET)/release/libkeyturn.so $(KT_TARGET)/release/libkeyturn.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 $(KT_C)/include/keyturn.h $(DESTDIR)$(PREFIX)/include/
	$(call kt_c_pc,$(PREFIX),$(PREFIX)/lib,$(PREFIX)/include,$(DESTDIR)$(PREFIX)/lib/pkgconfig/keyturn.pc)

SHARED_VECTORS ?= $(CURDIR)/../shared/vectors
# The SigV4 suite's case that sigv4_suite runs: in ../shared only; without it the program is
# built but not run (a notice says so).
KT_C_VANILLA = $(SHARED_VECTORS)/sigv4/v4/get-vanilla

# ---- Node (bindings/node): `npm ci`, `napi build` (@napi-rs/cli from npm) into target/, the
# generated index.d.ts and index.js diffed against the committed ones, then `node --test`.
# napi build passes `--target`, so the addon's dependencies build in target/<triple>/ once.
.PHONY: test-bindings-node
KT_NODE := bindings/node
KT_NODE_OUT := target/bindings-node

$(KT_NODE)/node_modules/.package-lock.json: $(KT_NODE)/package-lock.json
	@command -v $(NODE) >/dev/null && command -v $(NPM) >/dev/null \
		|| (apt-get update -q && apt-get install -y -q nodejs npm)
	cd $(KT_NODE) && $(NPM) ci --no-audit --no-fund

test-bindings-node: $(KT_NODE)/node_modules/.package-lock.json
	rm -rf $(KT_NODE_OUT) && mkdir -p $(KT_NODE_OUT)
	cd $(KT_NODE) && CARGO_TARGET_DIR=$(KT_TARGET) npx napi build --platform --manifest-path Cargo.toml \
		--output-dir $(CURDIR)/$(KT_NODE_OUT) --js index.js --dts index.d.ts
	diff -u $(KT_NODE)/index.d.ts $(KT_NODE_OUT)/index.d.ts \
		|| (echo "bindings/node/index.d.ts is stale: run 'npm run build' in bindings/node and commit it" && exit 1)
	diff -u $(KT_NODE)/index.js $(KT_NODE_OUT)/index.js \
		|| (echo "bindings/node/index.js is stale: run 'npm run build' in bindings/node and commit it" && exit 1)
	cp $(KT_NODE_OUT)/*.node $(KT_NODE)/
	cd $(KT_NODE) && $(NODE) --test --test-reporter=tap test/*.test.mjs

# ---- Python (bindings/python): a venv under target/, the package pip-installed from the
# source tree (maturin builds the abi3 extension in the dev profile, in the workspace's target/;
# a plain `pip install ./bindings/python` builds it in release),
# then pytest on the binding's tests and the s3-gate example.
.PHONY: test-python-binding
KT_PY := bindings/python
KT_PY_VENV := target/venv-bindings

$(KT_PY_VENV)/.installed: $(KT_PY)/requirements-test.txt
	rm -rf $(KT_PY_VENV)
	$(PYTHON) -m venv $(KT_PY_VENV)
	$(KT_PY_VENV)/bin/pip install --quiet -r $<
	touch $@

test-python-binding: $(KT_PY_VENV)/.installed
	PATH=$(CURDIR)/$(KT_PY_VENV)/bin:$$PATH MATURIN_PEP517_ARGS="--locked --profile dev" $(KT_PY_VENV)/bin/pip install --quiet --no-build-isolation \
		--force-reinstall --no-deps ./$(KT_PY)
	cd $(KT_PY) && $(CURDIR)/$(KT_PY_VENV)/bin/mypy --strict --no-incremental python/keyturn examples/s3-gate/s3_gate.py
	cd $(KT_PY) && $(CURDIR)/$(KT_PY_VENV)/bin/pytest -p no:cacheprovider tests examples/s3-gate
