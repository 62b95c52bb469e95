# Sunshine (阳光政务) — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv run build cases check serve test lint chromium bench clean

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
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory output

# A year of demo cases (办件) up to yesterday in the instance database; importing again adds only what is new.
cases: venv
	$(PY) build.py cases demo --import

serve: venv
	$(PY) build.py serve --port $(PORT)

# Debian's Chromium for the browser tests, and a CJK font so pages render (and measure) as citizens see them.
chromium:
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and fonts-wqy-microhei for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; \
	fi

lint: venv
	$(PY) -m ruff check .

test: venv chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: venv
	$(PY) bench/run.py

clean:
	rm -rf output output.* .pytest_cache .ruff_cache
