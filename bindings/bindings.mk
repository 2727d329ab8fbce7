# The bindings' build and test targets, included by the top-level Makefile.
# `test-bindings` is part of `make test`.

.PHONY: test-bindings

test-bindings:
	@echo "bindings: none yet"
