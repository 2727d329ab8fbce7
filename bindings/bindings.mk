# The bindings' build and test targets, included by the top-level Makefile.
# `test-bindings` is part of `make test`.

.PHONY: test-bindings

test-bindings: test-python-binding

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
