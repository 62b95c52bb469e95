# Sunshine (阳光政务) — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv run build cases check serve test lint system-tools chromium vnu bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

build: venv
	$(PY) build.py build

check: venv
	$(PY) build.py check

run: build cases
	$(PY) -m sunshine.staticserve --bind 127.0.0.1 --port $(PORT) output

# A year of demo cases (办件) up to yesterday in the instance database; importing again adds only what is new.
cases: venv
	$(PY) build.py cases demo --import

serve: venv
	$(PY) build.py serve --port $(PORT)

# Debian packages the tests drive, installed when missing: Chromium and a CJK font (pages render
# and measure as citizens see them), nginx (the README's set-up, run as written), Java and npm (the
# W3C Nu HTML checker).
system-tools:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing="$$missing fonts-wqy-microhei"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing for the tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

chromium: system-tools

# The W3C Nu HTML checker (npm vnu-jar, pinned in package-lock.json), run on the built site by the tests.
vnu: system-tools node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lint: venv
	$(PY) -m ruff check .

test: venv system-tools vnu
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: venv
	$(PY) bench/run.py

clean:
	rm -rf output output.* .pytest_cache .ruff_cache node_modules
