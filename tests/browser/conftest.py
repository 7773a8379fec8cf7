"""Fixtures of the dashboard's real-browser tests: a `concord serve` started for the session, headless
Chromium sessions driven by Debian's chromedriver, the CLI's JSON to compare the pages with, and
screenshots.

The tests skip when Chromium, chromedriver or selenium is missing, except under CI=true, where
they fail: CI must run them (the project's rule for tests that need something installed).
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_REPORTS = REPO.parent / "shared" / "reports"
SCREENSHOTS = REPO / "target" / "dashboard-screenshots"
DOCS_SCREENSHOTS = REPO / "docs" / "dashboard"
CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CONCORD_CHROMEDRIVER", "/usr/bin/chromedriver")
# The binary python/test.sh builds: under $CARGO_TARGET_DIR when set, else target/.
CONCORD = Path(os.environ.get("CONCORD_BIN") or
               REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug" / "concord")
IN_CI = os.environ.get("CI") == "true"
# The screenshots docs/dashboard.md shows.
DOCS = {"scenarios", "analyst-space", "analyst-no-zone", "sequencing-plan", "sequencing-deadlock",
        "evidence-timeline", "evidence-conflicts", "simulation", "room-mediator", "room-delegation",
        "phone-analyst"}

# selenium-manager must never download a browser or a driver: the paths are given explicitly.
os.environ["SE_OFFLINE"] = "true"


def missing(reason):
    """Skips locally; fails under CI, where every test must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run; .ci/run installs them)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def webdriver_module():
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        missing("selenium is not installed (python/test.sh installs it)")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            missing(f"{path} is missing: install Debian's {package} (apt-get install chromium chromium-driver)")
    from selenium import webdriver

    return webdriver


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(webdriver_module):
    """The base URL of a `concord serve` with the Kyiv example open and the shared reports as its
    sources; or CONCORD_DASHBOARD_URL, a server already running with them."""
    if os.environ.get("CONCORD_DASHBOARD_URL"):
        yield os.environ["CONCORD_DASHBOARD_URL"].rstrip("/")
        return
    if not CONCORD.exists():
        pytest.fail(f"{CONCORD} is missing: build it first (cargo build -p concord-cli)")
    if not SHARED_REPORTS.is_dir():
        missing(f"{SHARED_REPORTS} is missing: the evidence view compares its reports")
    tmp = tempfile.mkdtemp(prefix="concord-dashboard-")
    port = free_port()
    log = open(Path(tmp) / "serve.log", "w+")
    proc = subprocess.Popen(
        [str(CONCORD), "serve", "--database", f"{tmp}/rooms.db", "--listen", f"127.0.0.1:{port}",
         "--open", "examples/kyiv-2026.toml", "--sources", str(SHARED_REPORTS)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"concord serve exited with {proc.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"concord serve did not answer GET /health on {base} within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def browser(webdriver_module):
    """A factory of headless Chromium sessions, each its own profile (and so its own
    sessionStorage): one per person in a room."""
    from selenium.webdriver.chrome.service import Service

    drivers = []

    def new(width=1280, height=800):
        options = webdriver_module.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={width},{height}", "--force-device-scale-factor=1",
                    "--hide-scrollbars", "--lang=en-US"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver_module.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        driver.set_window_size(width, height)
        drivers.append(driver)
        return driver

    yield new
    for d in drivers:
        d.quit()


def concord_json(*args):
    """The CLI's JSON answer (exit 0 or 1: 1 is a negative answer, not an error)."""
    r = subprocess.run([str(CONCORD), *args, "--json"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode in (0, 1), f"concord {' '.join(args)} failed ({r.returncode}): {r.stderr}"
    return json.loads(r.stdout)


def api_json(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.loads(r.read())


def screenshot(driver, name, at=None):
    """The viewport (scrolled to show the element `at` from its top, if given), into
    target/dashboard-screenshots/; with CONCORD_DOCS_SCREENSHOTS=1 also into docs/dashboard/ (the
    committed pictures of docs/dashboard.md)."""
    if at is not None:
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -8);", at)
    else:
        driver.execute_script("window.scrollTo(0, 0);")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    if os.environ.get("CONCORD_DOCS_SCREENSHOTS") == "1" and name in DOCS:
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = DOCS_SCREENSHOTS / f"{name}.png"
        driver.save_screenshot(str(target))
        # A palette of 64 colours keeps a committed picture small (Pillow comes with matplotlib,
        # which the Python package's tests install).
        try:
            from PIL import Image
        except ImportError:
            return
        with Image.open(target) as image:
            small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)
