# Every target sets up .venv from the pinned requirements first, so each one
# works on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test figures lock clean bench

# A fresh venv each time the lock changes: packages the lock dropped do not linger.
$(INSTALLED): requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

serve: $(INSTALLED)  ## live-reloading site: Chinese at /, English at /en/
	SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

build: $(INSTALLED)  ## strict build into site/
	$(PY) -m mkdocs build --strict

test: $(INSTALLED)  ## every test, against an embedded etcd (or $$ETCD_ENDPOINTS, one test at a time)
	$(PY) -m pytest $(if $(ETCD_ENDPOINTS),-n 0) $(PYTEST_ARGS)

figures: $(INSTALLED)  ## redraw imgs/*.svg from imgs/src (needs Graphviz)
	$(PY) imgs/src/figures.py

lock:  ## re-resolve requirements.in into requirements.txt
	rm -rf /tmp/docs-lock-venv && $(PYTHON) -m venv /tmp/docs-lock-venv
	/tmp/docs-lock-venv/bin/pip install --quiet -r requirements.in
	{ echo "# Full lock of requirements.in for Python $$(/tmp/docs-lock-venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') (make lock)."; \
	  /tmp/docs-lock-venv/bin/pip freeze; } > requirements.txt

clean:
	rm -rf site $(VENV)

bench: $(INSTALLED) bench/node_modules  ## build, load and Lighthouse figures (needs Node.js and Chromium)
	$(PY) bench/bench.py

bench/node_modules: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@
