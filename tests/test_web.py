"""The web page (`vbextract serve`, Datasette) and the review HTML in a real headless
Chromium (Debian's chromium + chromium-driver, driven by Selenium): load, search a unit
without diacritics, open a task from a canned query, see its source highlighted."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import GOLDEN, ROOT
from vbextract.index import index_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="Chromium and chromedriver are not installed (.ci/run installs them)"
)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "plans.sqlite"
    assert not index_paths(db, [GOLDEN]).failed
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    log = (db.parent / "serve.log").open("wb")  # a file, not a pipe nobody reads
    proc = subprocess.Popen(
        [sys.executable, "-m", "vbextract", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # the server is up when it answers (not a timing assertion)
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((db.parent / "serve.log").read_text()) from None
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    assert "serving" in (db.parent / "serve.log").read_text()


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def _wait(driver, cond):
    return WebDriverWait(driver, 20).until(cond)


def _current_pieces(driver, task_id: str):
    return driver.find_elements(By.CSS_SELECTOR, f'span.f.current[data-tasks~="{task_id}"]')


def test_home_lists_the_tables(server, browser):
    browser.get(server + "/")
    assert "vbextract" in browser.title
    browser.find_element(By.LINK_TEXT, "plans").click()
    _wait(browser, EC.title_contains("plans"))
    names = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "a")}
    assert {"tasks", "documents", "task_units", "legal_refs", "deadlines", "obligations"} <= names
    queries = {"A unit's tasks due before a day", "Overdue tasks", "Obligations still with a body dissolved in 2025"}
    assert queries <= names


def test_search_a_unit_without_diacritics(server, browser):
    browser.get(server + "/plans/tasks")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
    box.send_keys("so noi vu")
    box.submit()
    _wait(browser, EC.text_to_be_present_in_element((By.TAG_NAME, "h3"), "search matches"))
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Sở Nội vụ" in table
    # every row links to its review page
    links = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns a.review")
    assert links and all("/-/review/" in a.get_attribute("href") for a in links)


def test_facets_by_unit_and_role(server, browser):
    browser.get(server + "/plans/obligations")
    facets = {e.text.split()[0] for e in browser.find_elements(By.CSS_SELECTOR, ".facet-info-name strong")}
    assert {"unit", "role", "province", "deadline_month", "doc_type", "deadline_kind"} <= facets


def test_canned_query_opens_a_task_with_its_source_highlighted(server, browser):
    browser.get(server + "/plans/unit_due_before")
    browser.find_element(By.CSS_SELECTOR, "input[name=unit]").send_keys("Sở KH&ĐT")
    before = browser.find_element(By.CSS_SELECTOR, "input[name=before]")
    before.send_keys("2025-12-31")
    before.submit()
    _wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "table.rows-and-columns a.review")))
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Sở Kế hoạch và Đầu tư" in table and "Sở Tài chính" in table  # the unit and its successor
    link = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns a.review")
    task_id = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    _wait(browser, EC.title_contains("Review"))
    _wait(browser, lambda d: _current_pieces(d, task_id))
    pieces = _current_pieces(browser, task_id)
    assert any(p.is_displayed() for p in pieces)
    assert any("task" in p.get_attribute("class").split() for p in pieces)
    # the task's units are marked by role, the bodies it names by their canonical spans
    leads = browser.find_elements(By.CSS_SELECTOR, f'span.f.lead[data-tasks~="{task_id}"]')
    supports = browser.find_elements(By.CSS_SELECTOR, f'span.f.support[data-tasks~="{task_id}"]')
    assert any("Kế hoạch và Đầu tư" in e.text for e in leads + supports)


def test_review_page_of_an_unknown_document_is_404(server):
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(server + "/-/review/99999", timeout=5)
    assert e.value.code == 404


def test_review_html_file(tmp_path, browser):
    from click.testing import CliRunner

    from vbextract.cli import main

    out = tmp_path / "review.html"
    src = GOLDEN / "05_KH_980-KH-UBND_Nghe-An_2025.md.json"
    r = CliRunner().invoke(main, ["review", str(src), "--html", str(out)])
    assert r.exit_code == 0
    browser.get(out.as_uri())
    assert browser.title.startswith("Review: 05_KH_980-KH-UBND_Nghe-An_2025.md")
    kinds = {
        k
        for k in ("task", "lead", "support", "deadline", "legal")
        if browser.find_elements(By.CSS_SELECTOR, f"span.f.{k}")
    }
    assert kinds == {"task", "lead", "support", "deadline", "legal"}
    link = browser.find_elements(By.CSS_SELECTOR, "#tasks a.task-link")[3]
    task_id = link.text
    link.click()
    _wait(browser, lambda d: _current_pieces(d, task_id))
    row = browser.find_element(By.ID, f"row-{task_id}")
    content_start = row.find_elements(By.TAG_NAME, "td")[2].text[:20]
    assert content_start in " ".join(p.text for p in _current_pieces(browser, task_id))
    assert browser.find_element(By.ID, "warnings").text.startswith("W")
