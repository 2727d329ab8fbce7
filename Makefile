# Keyturn's two commands: `make serve` runs the server on its embedded defaults
# (the example scenario); `make test` runs every test: Rust, Python, Node and C.
# .ci/run calls `make test` and nothing else.

CARGO ?= cargo

include bindings/bindings.mk

.PHONY: serve test test-rust

serve:
	$(CARGO) run --release --bin keyturn -- serve

test: test-rust test-bindings

test-rust:
	$(CARGO) test --locked
