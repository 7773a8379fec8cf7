"""The dashboard in a real browser: each view of the Kyiv example shows the numbers the CLI computes
for the same file, and a whole room is played through in three separate browser sessions (a
mediator and two delegations), each delegation's page holding none of the other's private
numbers.

Run by python/test.sh; on their own: `python -m pytest tests/browser` from the repository root
after `cargo build -p concord-cli`.
"""

import json
import time
from pathlib import Path
import urllib.parse
import urllib.request

import pytest
from conftest import REPO, api_json, concord_json, screenshot

KYIV = "examples/kyiv-2026.toml"
TIMINGS = Path(__file__).resolve().parents[2] / "target" / "dashboard-timings.tsv"
WATER = REPO / "examples" / "water-sharing.toml"
SHARED_REPORTS = str(REPO.parent / "shared" / "reports")


def by():
    from selenium.webdriver.common.by import By

    return By


def wait_for(driver, predicate, timeout=15, what="the page"):
    """Polls `predicate(driver)` until it returns something truthy; fails with the browser's log."""
    deadline = time.time() + timeout
    while True:
        try:
            value = predicate(driver)
            if value:
                return value
        except Exception:  # noqa: BLE001 - the DOM changes under the poll
            value = None
        if time.time() > deadline:
            logs = "\n".join(entry["message"] for entry in driver.get_log("browser"))
            pytest.fail(f"timed out waiting for {what}; browser log:\n{logs}")
        time.sleep(0.05)


def css(driver, selector):
    return driver.find_elements(by().CSS_SELECTOR, selector)


def one(driver, selector, timeout=15):
    return wait_for(driver, lambda d: (css(d, selector) or [None])[0], timeout, what=selector)


def click_first(driver, find, what, timeout=15):
    """Clicks the first element `find(driver)` returns, found and clicked inside the poll: a view
    that redraws may replace the element between the two (a stale element), and the next attempt
    finds the new one. A click that raises was not made, so none is made twice."""
    def attempt(d):
        found = find(d)
        if not found:
            return False
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", found[0])
        found[0].click()
        return True

    wait_for(driver, attempt, timeout, what=what)


def click_one(driver, selector, timeout=15):
    """Clicks the first element `selector` matches (see `click_first`)."""
    click_first(driver, lambda d: css(d, selector), selector, timeout)


def click_button(d, text, scope=None):
    """Clicks the first shown button whose text is `text`, within `scope` if given (see
    `click_first`)."""
    def shown(d):
        buttons = (scope or d).find_elements(by().CSS_SELECTOR, "button")
        return [b for b in buttons if b.text == text and b.is_displayed()]

    click_first(d, shown, f"the button {text!r}")


def open_view(driver, base, route):
    """Opens a route and waits until the view is drawn and every part it fetches after that
    (the utility space, the reports' conflicts) has arrived. Returns the seconds until the view
    was drawn. Both times are written to target/dashboard-timings.tsv for
    bench/dashboard/browser.sh, which measures them on a release build: they are measurements,
    not pass/fail conditions."""
    start = time.time()
    driver.get(f"{base}/#/{route}")
    wait_for(driver, lambda d: d.execute_script(
        "const m = document.getElementById('main'); return m && m.dataset.ready"), what=f"#/{route}")
    drawn = time.time() - start
    wait_for(driver, lambda d: d.execute_script(
        "const m = document.getElementById('main');"
        "return !m.querySelector('.loading, [aria-busy=true]')"), timeout=60,
        what=f"the parts of #/{route} fetched after it is drawn")
    complete = time.time() - start
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with open(TIMINGS, "a") as f:
        f.write(f"#/{route}\t{drawn:.3f}\t{complete:.3f}\n")
    return drawn


def labelled(driver, text):
    """The control whose <label> reads `text` exactly (every control of the dashboard has one)."""
    labels = [lab for lab in css(driver, "label") if lab.text.strip() == text]
    assert labels, f"no control labelled {text!r}"
    return driver.find_element(by().ID, labels[0].get_attribute("for"))


def thousands(n):
    return f"{int(n):,}"


def utility4(v):
    """The dashboard's display of a utility: at most four decimals, no trailing zeros."""
    return str(float(f"{v:.4f}")).rstrip("0").rstrip(".") if v else "0"


def unlabelled_controls(driver):
    return driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea, button')].filter((el) => {
          if (el.type === 'hidden') return false;
          const name = el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].textContent.trim())
            || (el.tagName === 'BUTTON' && el.textContent.trim());
          return !name;
        }).map((el) => el.outerHTML.slice(0, 120));""")


def foreign_resources(driver, base):
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((n) => !n.startsWith(arguments[0] + '/'));", base)


# ---------------------------------------------------------------------------------------------
# Analyst views of the Kyiv example


def test_analyst_view_shows_the_cli_numbers(server, browser):
    d = browser()
    cli = concord_json("analyze", KYIV)
    open_view(d, server, "analyst/kyiv-2026")
    assert one(d, "[data-value=space_size]").text == thousands(cli["space_size"]) == "218,700"
    zone = one(d, "[data-value=zone]").text
    assert cli["zone"]["exists"] is False and zone.startswith("no agreement zone")
    # The issue map, in the CLI's rank order.
    rows = css(d, "table.issue-map tbody tr")
    assert len(rows) == len(cli["issues"])
    for row, issue in zip(rows, cli["issues"]):
        cells = row.find_elements(by().CSS_SELECTOR, "td, th")
        assert cells[0].text == str(issue["rank"])
        assert issue["issue"] in cells[1].text
    # The empty zone explained: every minimal conflict and smallest change, with their sizes.
    nz = cli["no_zone"]
    assert len(css(d, "ol.conflicts > li")) == len(nz["conflicts"])
    corrections = css(d, "ol.corrections > li")
    assert len(corrections) == len(nz["corrections"])
    for li, c in zip(corrections, nz["corrections"]):
        assert f"Opens a zone of {thousands(c['zone_size'])} packages." in li.text
        for constraint in c["constraints"]:
            if constraint["kind"] == "red_line":
                assert constraint["id"] in li.text
    # Each constraint's claims are quoted from the claims register.
    claims = {c["id"]: c for c in concord_json("evidence", "claims", KYIV, "--sources", SHARED_REPORTS)["claims"]}
    first_claim = claims[nz["conflict"][0]["provenance"]["claims"][0]]
    assert first_claim["text"] in one(d, "ol.conflicts > li").text
    # Framework status, point by point.
    page = d.find_element(by().TAG_NAME, "main").text
    for point in cli["framework"]["points"]:
        assert point["title"] in page

    # The utility space of two consenting parties, as the API gives it.
    chart = one(d, "svg.space-chart", timeout=20)
    space = api_json(server, "/analyst/scenarios/kyiv-2026/space?x=ukraine&y=russia&red_lines=all")
    assert len(chart.find_elements(by().CSS_SELECTOR, ".cell")) == len(space["cells"])
    assert len(chart.find_elements(by().CSS_SELECTOR, ".solution")) == len(space["solutions"])
    figure_text = d.find_element(by().CSS_SELECTOR, "figure.figure").text
    assert thousands(space["packages"]) in figure_text
    for note in space["notes"]:
        assert note in figure_text
    screenshot(d, "analyst-issue-map", at=one(d, "table.issue-map"))
    screenshot(d, "analyst-no-zone", at=one(d, "ol.corrections"))

    # The red-lines toggle re-fetches: with the stated red lines only, a zone opens.
    stated = concord_json("analyze", KYIV, "--red-lines", "stated")
    click_one(d, "input[type=radio][value=stated]")
    wait_for(d, lambda d: "agreement zone of" in one(d, "[data-value=zone]").text, what="the zone with stated red lines")
    assert f"an agreement zone of {thousands(stated['zone']['size'])} packages" in one(d, "[data-value=zone]").text
    assert "red_lines=stated" in d.current_url
    rows = css(d, "table.issue-map tbody tr")
    assert [r.find_elements(by().CSS_SELECTOR, "th")[0].text.split("\n")[-1] for r in rows] == [i["issue"] for i in stated["issues"]]
    # With a zone, the four bargaining solutions are on the chart, labelled.
    wait_for(d, lambda d: css(d, "svg.space-chart .solution"), what="the solutions on the chart")
    space = api_json(server, "/analyst/scenarios/kyiv-2026/space?x=ukraine&y=russia&red_lines=stated")
    chart = one(d, "svg.space-chart")
    assert len(chart.find_elements(by().CSS_SELECTOR, ".solution")) == len(space["solutions"]) == 4
    labels = " ".join(t.text for t in chart.find_elements(by().CSS_SELECTOR, ".solution-label"))
    for concept in ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian"):
        assert concept in labels
    screenshot(d, "analyst-space", at=one(d, "svg.space-chart").find_element(by().XPATH, "ancestor::section"))

    # Another pair of parties.
    from selenium.webdriver.support.ui import Select

    Select(labelled(d, "Vertical axis")).select_by_value("united_states")
    wait_for(d, lambda d: "utility to United States" in one(d, "svg.space-chart").text, what="the new pair")

    # Sensitivity: the same draws as the CLI's.
    samples = labelled(d, "Draws")
    samples.clear()
    samples.send_keys("20")
    click_button(d, "Run the sensitivity analysis")
    sens = concord_json("analyze", KYIV, "--red-lines", "stated", "--sensitivity", "20")["sensitivity"]
    wait_for(d, lambda d: f"{sens['zone_exists']} of 20" in d.find_element(by().TAG_NAME, "main").text, timeout=60, what="the sensitivity report")
    assert unlabelled_controls(d) == []
    assert foreign_resources(d, server) == []


def test_sequencing_view_draws_the_plan_and_the_deadlock(server, browser):
    d = browser()
    cli = concord_json("sequence", KYIV)
    open_view(d, server, "sequence/kyiv-2026")
    text = d.find_element(by().TAG_NAME, "main").text
    if cli["feasible"]:
        plan = cli["plan"]
        assert f"The plan takes {plan['duration']} days" in text
    else:
        deadlock = cli["deadlock"]
        assert f"{len(deadlock['conflicts'])} conflict(s)" in text
        cycles = [c for c in deadlock["conflicts"] if c["cycle"]]
        assert len(css(d, "svg.cycle")) == len(cycles)
        for c in cycles:
            for link in c["cycle"]:
                if link["cause"]["kind"] == "demand":
                    assert f"{link['cause']['demand']} (+{link['days']} d)" in one(d, "svg.cycle").text
        plan = deadlock["way_out"]["plan"]
        assert f"The plan after it: {plan['duration']} days" in text
        screenshot(d, "sequencing-deadlock", at=one(d, "svg.cycle").find_element(by().XPATH, "ancestor::section"))
    gantt = one(d, "svg.gantt")
    assert len(gantt.find_elements(by().CSS_SELECTOR, ".task, .milestone")) == len(plan["steps"])
    assert len([t for t in gantt.find_elements(by().CSS_SELECTOR, ".row-label") if t.text.startswith("★")]) == len(plan["critical_path"])
    assert len(css(d, "ol.phases > li")) == len(plan["phases"])
    for b in plan["broken"]:
        assert f"{b['demand']} by {b['days']} days (cost {b['cost']})" in text
    screenshot(d, "sequencing-plan", at=gantt.find_element(by().XPATH, "ancestor::section"))
    assert unlabelled_controls(d) == []


def test_evidence_view_shows_the_register_and_the_conflicts(server, browser):
    d = browser()
    # The server compares the report texts given with --sources, as these flags do.
    claims = concord_json("evidence", "claims", KYIV, "--sources", SHARED_REPORTS)
    conflicts = concord_json("evidence", "conflicts", SHARED_REPORTS, "--scenario", KYIV)
    open_view(d, server, "evidence/kyiv-2026")
    text = d.find_element(by().TAG_NAME, "main").text
    assert f"{len(claims['claims'])} claims:" in text
    dated = [c for c in claims["claims"] if c["date"]]
    timeline = one(d, "svg.timeline")
    assert len(timeline.find_elements(by().CSS_SELECTOR, ".standing-mark")) == len(dated)
    for c in claims["claims"]:
        card = one(d, f"#claim-{c['id']}")
        assert c["standing"] in card.text  # the status in words, not by colour alone
    # The conflicts between the reports follow when the server has compared them.
    wait_for(d, lambda d: css(d, "li.report-conflict"), timeout=30, what="the conflicts between the reports")
    assert len(css(d, "li.report-conflict")) == len(conflicts["conflicts"])
    first = css(d, "li.report-conflict")[0]
    sides = first.find_elements(by().CSS_SELECTOR, ".side")
    for side, expected in zip(sides, conflicts["conflicts"][0]["sides"], strict=True):
        assert expected["value"] in side.text and expected["source"] in side.text
    screenshot(d, "evidence-timeline", at=timeline.find_element(by().XPATH, "ancestor::section"))
    screenshot(d, "evidence-conflicts", at=first)


def test_simulation_view_runs_the_chosen_strategies(server, browser):
    from selenium.webdriver.support.ui import Select

    d = browser()
    open_view(d, server, "simulate/kyiv-2026")
    Select(labelled(d, "Default strategy")).select_by_value("boulware")
    Select(labelled(d, "Strategy of Ukraine")).select_by_value("conceder")
    click_button(d, "Run the negotiation")
    cli = concord_json("simulate", KYIV, "--default-strategy", "boulware", "--strategy", "ukraine=conceder", "--trace")
    verdict = one(d, ".verdict", timeout=30).text
    if cli["agreement"]:
        assert f"Agreement in round {cli['rounds']} ({cli['offers']} offers)" in verdict
    else:
        assert f"No agreement: {cli['end']}" in verdict and f"{cli['offers']} offers" in verdict
    rows = css(d, "table tbody tr")
    for party in cli["parties"]:
        assert any(party["strategy"] in r.text and utility4(party["utility"]) in r.text for r in rows)
    charts = css(d, "svg.offers")
    proposers = {t["party"] for t in cli["trace"] if t["action"] == "offer"}
    assert len(charts) == len(proposers)
    screenshot(d, "simulation", at=charts[0].find_element(by().XPATH, "ancestor::section"))
    assert unlabelled_controls(d) == []


def test_views_fit_a_phone(server, browser):
    d = browser(375, 667)
    for route in ("", "analyst/kyiv-2026", "sequence/kyiv-2026", "evidence/kyiv-2026", "simulate/kyiv-2026", "rooms"):
        open_view(d, server, route)
        overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"#/{route} is {overflow}px wider than a phone's screen"
    open_view(d, server, "analyst/kyiv-2026?red_lines=stated")
    chart = one(d, "svg.space-chart", timeout=20)
    screenshot(d, "phone-analyst", at=chart.find_element(by().XPATH, "ancestor::section"))


def test_keyboard_reaches_every_control(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def press(*keys):
        chain = ActionChains(d)
        for k in keys[:-1]:
            chain.key_down(k)
        chain.send_keys(keys[-1])
        for k in keys[:-1]:
            chain.key_up(k)
        chain.perform()

    d = browser()
    open_view(d, server, "")
    # A new view puts the focus on its heading, where keyboard and screen-reader users start.
    assert d.switch_to.active_element.tag_name == "h1"
    # Tab visits every control of the page in order, each with a visible focus indicator.
    controls = d.execute_script("""return [...document.querySelectorAll('main a[href], main input, main select, main button, main [tabindex="0"]')]
        .filter((el) => el.offsetParent !== null).length""")
    seen = []
    for _ in range(controls + 5):
        press(Keys.TAB)
        el = d.switch_to.active_element
        if not d.execute_script("return document.getElementById('main').contains(arguments[0])", el):
            break
        assert d.execute_script("return getComputedStyle(arguments[0]).outlineStyle", el) != "none", el.get_attribute("outerHTML")[:120]
        seen.append(el)
    assert len(seen) == controls
    # Shift+Tab from the heading goes back to the navigation; Enter follows a link.
    open_view(d, server, "simulate/kyiv-2026")
    assert d.switch_to.active_element.tag_name == "h1"
    press(Keys.SHIFT, Keys.TAB)
    assert d.switch_to.active_element.text == "Rooms"
    press(Keys.ENTER)
    wait_for(d, lambda d: d.execute_script("return document.getElementById('main').dataset.view") == "rooms", what="the rooms view")
    assert d.switch_to.active_element.tag_name == "h1"
    # The skip link moves the focus to the content.
    d.execute_script("document.getElementById('skip-link').focus()")
    press(Keys.ENTER)
    assert d.switch_to.active_element.get_attribute("id") == "main"
    assert unlabelled_controls(d) == []
    screenshot(d, "rooms")


def test_home_lists_the_open_scenario(server, browser):
    d = browser()
    open_view(d, server, "")
    listed = api_json(server, "/analyst/scenarios")["scenarios"]
    text = d.find_element(by().TAG_NAME, "main").text
    for s in listed:
        assert s["title"] in text
    assert unlabelled_controls(d) == []
    screenshot(d, "scenarios")


# ---------------------------------------------------------------------------------------------
# A room played through: a mediator and two delegations, each in its own browser


UPSTREAM = {
    "reservation": "0.2113",
    "issues.share.weight": "0.3719",
    "issues.share.values.20": "1",
    "issues.share.values.40": "0.8167",
    "issues.share.values.60": "0.4243",
    "issues.share.values.80": "0",
    "issues.monitor.weight": "0.6281",
    "issues.monitor.values.upstream": "1",
    "issues.monitor.values.joint": "0.6911",
    "issues.monitor.values.province": "0.2377",
}
DOWNSTREAM = {
    "reservation": "0.1987",
    "issues.share.weight": "0.5843",
    "issues.share.values.20": "0",
    "issues.share.values.40": "0.4519",
    "issues.share.values.60": "0.7733",
    "issues.share.values.80": "1",
    "issues.monitor.weight": "0.4157",
    "issues.monitor.values.upstream": "0",
    "issues.monitor.values.joint": "0.7349",
    "issues.monitor.values.province": "1",
}


# A red line of the downstream delegation: its id is as private as its numbers.
DOWNSTREAM_RED_LINE = ("downstream-never-upstream-gauges", "monitor", "upstream")


def everything(d):
    """What a page holds: its DOM and the values of its inputs (typed values are not in the DOM)."""
    return d.page_source + "\n" + d.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')].map((e) => e.value).join('\\n')")


def planted(prefs):
    """The distinctive numbers a delegation enters (0 and 1 are everyone's anchors)."""
    return {v for v in prefs.values() if v not in ("0", "1")}


def own_utility(prefs, package):
    return sum(float(prefs[f"issues.{i}.weight"]) * float(prefs[f"issues.{i}.values.{o}"]) for i, o in package.items())


def fill_preferences(d, prefs):
    for name, value in prefs.items():
        el = one(d, f'[data-field="{name}"]')
        el.clear()
        el.send_keys(value)


def test_a_room_played_through_in_three_browsers(server, browser):
    from selenium.webdriver.support.ui import Select

    mediator = browser()
    open_view(mediator, server, "rooms")
    labelled(mediator, "Room name").send_keys("River talks")
    labelled(mediator, "Scenario file (TOML)").send_keys(str(WATER))
    click_button(mediator, "Open the room as its mediator")
    wait_for(mediator, lambda d: d.execute_script("return document.getElementById('main').dataset.view") == "room", what="the new room")
    one(mediator, ".room-status p")
    room = mediator.current_url.split("#/room/")[1].split("?")[0]
    assert "token" not in mediator.current_url
    assert "Set aside unread from the upload" in mediator.page_source

    links = {}
    for party, name in (("upstream", "Upstream town"), ("downstream", "Downstream town")):
        click_one(mediator, f'button[aria-label="Invite the delegation of {name}"]')
        links[party] = one(mediator, f'.invitation[data-party="{party}"] a.invite-link').get_attribute("href")
        assert "#/room/" in links[party] and "?token=" in links[party].split("#", 1)[1]
    click_button(mediator, "Invite an observer")
    links["observer"] = one(mediator, '.invitation[data-party="observer"] a.invite-link').get_attribute("href")
    screenshot(mediator, "room-mediator-invitations", at=one(mediator, ".invites"))
    observer = browser()
    observer.get(links["observer"])
    wait_for(observer, lambda d: d.execute_script("return document.getElementById('main').dataset.view") == "room", what="the observer's room")
    assert "You are the observer" in observer.find_element(by().TAG_NAME, "main").text

    delegations = {}
    for party, prefs in (("upstream", UPSTREAM), ("downstream", DOWNSTREAM)):
        d = browser()
        d.get(links[party])
        wait_for(d, lambda d: d.execute_script("return document.getElementById('main').dataset.view") == "room", what=f"{party}'s room")
        # The token is kept in the tab and taken out of the address at once.
        assert "token" not in d.current_url
        assert d.execute_script(f"return sessionStorage.getItem('concord.token.{room}')")
        one(d, '[data-field="reservation"]')
        delegations[party] = d

    # A mistake is shown at its field.
    up = delegations["upstream"]
    fill_preferences(up, {**UPSTREAM, "issues.monitor.values.joint": "1.7"})
    click_button(up, "Save my preferences (private to this delegation)")
    bad = wait_for(up, lambda d: (css(d, '[data-field="issues.monitor.values.joint"][aria-invalid="true"]') or [None])[0], what="the field error")
    error = up.find_element(by().ID, f"{bad.get_attribute('id')}-error")
    assert error.is_displayed() and "1.7" in error.text and "[0, 1]" in error.text
    assert one(up, "[role=alert]").is_displayed()

    down = delegations["downstream"]
    click_button(down, "Add a red line")
    red_line_id, issue, option = DOWNSTREAM_RED_LINE
    labelled(down, "Red line id").send_keys(red_line_id)
    Select(labelled(down, "Issue")).select_by_value(issue)
    labelled(down, option).click()
    for party, prefs in (("upstream", UPSTREAM), ("downstream", DOWNSTREAM)):
        d = delegations[party]
        fill_preferences(d, prefs)
        click_button(d, "Save my preferences (private to this delegation)")
        wait_for(d, lambda d: "Saved: revision" in d.find_element(by().TAG_NAME, "main").text, what=f"{party}'s preferences saved")
        assert css(d, "[aria-invalid=true]") == []
    screenshot(delegations["upstream"], "room-delegation-preferences", at=one(delegations["upstream"], "form.prefs"))

    # The mediator asks for the Nash package and tables it.
    click_button(mediator, "Refresh")
    wait_for(mediator, lambda d: d.find_element(by().TAG_NAME, "main").text.count("yes (not what)") == 2, what="both submissions")
    Select(labelled(mediator, "Question")).select_by_value("propose")
    click_button(mediator, "Ask (recorded in the ledger)")
    one(mediator, ".answer")
    click_button(mediator, "Use this package in a proposal")
    labelled(mediator, "Label").send_keys("Text 1")
    click_button(mediator, "Table this proposal")
    wait_for(mediator, lambda d: css(d, 'tr[data-proposal="p1"]'), what="p1 on the table")
    package = {i: Select(s).first_selected_option.get_attribute("value") for i, s in
               ((s.get_attribute("data-issue"), s) for s in css(mediator, "select[data-issue]"))}
    # A second text on the table, for a veto and a stated preference.
    share = Select(one(mediator, 'select[data-issue="share"]'))
    share.select_by_value(next(o.get_attribute("value") for o in share.options
                               if o.get_attribute("value") != package["share"]))
    label = labelled(mediator, "Label")
    label.clear()
    label.send_keys("Text 2")
    click_button(mediator, "Table this proposal")
    wait_for(mediator, lambda d: css(d, 'tr[data-proposal="p2"]'), what="p2 on the table")

    # Each delegation sees its own utility of p1, accepts, and what was revealed about it.
    for party, prefs in (("upstream", UPSTREAM), ("downstream", DOWNSTREAM)):
        d = delegations[party]
        click_button(d, "Refresh")
        row = one(d, 'tr[data-proposal="p1"]')
        proposal = dict(li.text.split(": ", 1) for li in row.find_elements(by().CSS_SELECTOR, "td ul li"))
        assert proposal == package
        assert row.find_element(by().CSS_SELECTOR, ".utility").text == utility4(own_utility(prefs, proposal))
        ledger = d.find_element(by().XPATH, "//section[h2='What has been revealed about you']").text
        assert "nash" in ledger.lower()
        screenshot(d, "room-delegation" if party == "upstream" else f"room-delegation-{party}",
                   at=row.find_element(by().XPATH, "ancestor::section"))
        # Upstream vetoes the second text; downstream says it prefers the first to it.
        if party == "upstream":
            click_one(d, 'button[aria-label="Veto p2"]')
            wait_for(d, lambda d: "veto" in one(d, 'tr[data-proposal="p2"] td:nth-of-type(4)').text, what="upstream's veto")
        else:
            Select(one(d, 'select[aria-label="Proposal that p1 is better than"]')).select_by_value("p2")
            click_one(d, 'button[aria-label="Prefer p1 over the chosen proposal"]')
            wait_for(d, lambda d: "prefer over p2" in one(d, 'tr[data-proposal="p1"] td:nth-of-type(4)').text, what="downstream's preference")
        click_one(d, 'button[aria-label="Accept p1"]')
        wait_for(d, lambda d: "accept" in one(d, 'tr[data-proposal="p1"] td:nth-of-type(4)').text, what=f"{party}'s acceptance")

    # The agreement is shown to everyone.
    for d in (mediator, observer, *delegations.values()):
        click_button(d, "Refresh")
        wait_for(d, lambda d: "Agreement: proposal p1" in one(d, ".room-status").text, what="the agreement")
        # The room redraws its table on every refresh and poll, so the row found may be replaced
        # before its text is read (a stale element): read it inside the poll.
        wait_for(d, lambda d: "✓ agreed" in one(d, 'tr[data-proposal="p1"]').text, what="p1 marked agreed")
    screenshot(mediator, "room-mediator", at=one(mediator, ".room-status"))

    # No page holds another delegation's private numbers; the mediator's holds neither.
    up_numbers, down_numbers = planted(UPSTREAM), planted(DOWNSTREAM) | {red_line_id}
    assert up_numbers and down_numbers and not (up_numbers & down_numbers)
    # Reloaded, each delegation's page shows its own preferences as the server holds them: the
    # search below finds a planted value where one is.
    for party, own in (("upstream", up_numbers), ("downstream", down_numbers)):
        d = delegations[party]
        d.refresh()
        wait_for(d, lambda d: css(d, '[data-field="reservation"]') and css(d, "tr[data-proposal]"), what=f"{party}'s page reloaded")
        wait_for(d, lambda d: all(n in everything(d) for n in own), what=f"{party}'s own numbers on its page")
    up_page, down_page, mediator_page = (everything(x) for x in (delegations["upstream"], delegations["downstream"], mediator))
    assert [n for n in down_numbers if n in up_page] == []
    assert [n for n in up_numbers if n in down_page] == []
    assert [n for n in up_numbers | down_numbers if n in mediator_page] == []
    observer.refresh()
    wait_for(observer, lambda d: css(d, "tr[data-proposal]"), what="the observer's page reloaded")
    assert [n for n in up_numbers | down_numbers if n in everything(observer)] == []
    screenshot(observer, "room-observer")
    # Nor does anything the mediator's browser can ask the API for.
    token = mediator.execute_script(f"return sessionStorage.getItem('concord.token.{room}')")
    for path in ("", "/proposals", "/ledger", "/framework", "/audit"):
        req = urllib.request.Request(f"{server}/rooms/{urllib.parse.quote(room)}{path}", headers={"authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req) as r:
            body = r.read().decode()
        assert [n for n in up_numbers | down_numbers if n in body] == [], path
    for d in (mediator, *delegations.values()):
        assert foreign_resources(d, server) == []
        assert unlabelled_controls(d) == []


def test_an_uploaded_scenario_is_analysed(server, browser, tmp_path):
    d = browser()
    open_view(d, server, "")
    bad = tmp_path / "bad.toml"
    bad.write_text(WATER.read_text().replace("weight = 0.7", "weight = 7"))
    labelled(d, "Scenario file (TOML, docs/scenario-format.md)").send_keys(str(bad))
    click_button(d, "Upload and analyse")
    error = one(d, "[role=alert]")
    assert "bad.toml was not accepted" in error.text and "line" in error.text and "weight" in error.text
    screenshot(d, "upload-refused", at=error)
    cli = concord_json("analyze", str(WATER))
    d.execute_script("arguments[0].value = ''", labelled(d, "Scenario file (TOML, docs/scenario-format.md)"))
    labelled(d, "Scenario file (TOML, docs/scenario-format.md)").send_keys(str(WATER))
    click_button(d, "Upload and analyse")
    wait_for(d, lambda d: "#/analyst/water-sharing" in d.current_url and d.execute_script(
        "return document.getElementById('main').dataset.ready"), what="the uploaded scenario's analysis")
    assert one(d, "[data-value=space_size]").text == thousands(cli["space_size"])
    assert f"an agreement zone of {thousands(cli['zone']['size'])} packages" in one(d, "[data-value=zone]").text
    screenshot(d, "analyst-uploaded")


def wide_scenario():
    """Two opposed parties, 5 issues of 10 options, weights of decreasing decimal places: all
    100,000 packages have their own pair of utilities, and all lie on the pair's frontier."""
    out = ['[scenario]\nid = "wide"\ntitle = "Two parties, 100,000 packages, all on their frontier"\n']
    for p in ("a", "b"):
        out.append(f'[[parties]]\nid = "{p}"\nname = "{p.upper()}"\nrole = "party"\n')
    for i in range(5):
        opts = ", ".join(f'"o{o}"' for o in range(10))
        out.append(f'[[issues]]\nid = "i{i}"\nname = "Issue {i}"\noptions = [{opts}]\n')
    for p in ("a", "b"):
        out.append(f"[preferences.{p}]\nreservation = 0.1\n")
        for i, w in enumerate([0.9, 0.09, 0.009, 0.0009, 0.0001]):
            vals = ", ".join(f"o{o} = {(o if p == 'a' else 9 - o) / 9:.6f}" for o in range(10))
            out.append(f"[preferences.{p}.issues.i{i}]\nweight = {w}\nvalues = {{ {vals} }}\n")
    return "".join(out)


def test_a_frontier_of_100000_points_is_drawn_downsampled_and_says_so(server, browser):
    body = json.dumps({"name": "wide.toml", "toml": wide_scenario()}).encode()
    request = urllib.request.Request(server + "/analyst/scenarios", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        sid = json.loads(r.read())["id"]
    space = api_json(server, f"/analyst/scenarios/{sid}/space?x=a&y=b")
    assert space["frontier"]["size"] == 100_000 and space["frontier"]["shown"] == 2000
    d = browser()
    open_view(d, server, f"analyst/{sid}?x=a&y=b")
    wait_for(d, lambda d: "evenly spaced" in d.find_element(by().TAG_NAME, "main").text,
             timeout=30, what="the chart's notes")
    text = d.find_element(by().TAG_NAME, "main").text
    # The server's notes, word for word: the frontier is downsampled and the page says so.
    for note in space["notes"]:
        assert note in text, note
    assert one(d, "[data-value=space_size]").text == "100,000"
    screenshot(d, "analyst-wide")


def test_a_room_opens_from_a_scenario_open_on_the_server(server, browser):
    from selenium.webdriver.support.ui import Select
    d = browser()
    open_view(d, server, "rooms")
    labelled(d, "Room name").send_keys("Kyiv talks")
    Select(labelled(d, "Or a scenario open on this server")).select_by_value("kyiv-2026")
    click_button(d, "Open the room as its mediator")
    wait_for(d, lambda d: d.execute_script("return document.getElementById('main').dataset.view") == "room",
             what="the new room")
    text = d.find_element(by().TAG_NAME, "main").text
    # The server took the public part of the file it holds; the page never held the file.
    assert "Set aside unread from the upload: the preferences of ukraine, russia, united_states" in text
    screenshot(d, "room-from-open-scenario")


def call(base, method, path, body=None, token=None):
    """One API request; the answer as JSON."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_saving_from_the_page_keeps_what_the_page_cannot_edit(server, browser):
    # Preferences entered through the API with ranges of uncertainty and a conditional red line,
    # which the page's form does not edit: a save from the page sends them back unchanged.
    created = call(server, "POST", "/rooms", {"scenario": WATER.read_text()})
    room, mediator = created["room"], created["mediator_token"]
    up = call(server, "POST", f"/rooms/{room}/invitations", {"role": "delegation", "party": "upstream"}, mediator)["token"]
    submitted = {
        "reservation": {"value": 0.3, "range": [0.2, 0.4]},
        "issues": {
            "share": {"weight": 0.7, "points": [[20, 1.0], [80, 0.0]]},
            "monitor": {"weight": {"value": 0.3, "range": [0.2, 0.4]},
                        "values": {"upstream": 1.0, "joint": 0.6, "province": 0.2}},
        },
        "red_lines": [{"id": "up-conditional", "if": {"issue": "share", "is": [20, 40]},
                       "then": {"issue": "monitor", "must_not_be": ["province"]}}],
    }
    call(server, "PUT", f"/rooms/{room}/preferences", submitted, up)
    d = browser()
    d.get(f"{server}/#/room/{room}?token={up}")
    field = one(d, '[data-field="reservation"]')
    assert "up-conditional" in one(d, '[data-red-line="up-conditional"]').text
    field.clear()
    field.send_keys("0.35")
    click_button(d, "Save my preferences (private to this delegation)")
    wait_for(d, lambda d: "Saved: revision 2" in d.find_element(by().TAG_NAME, "main").text, what="the save")
    saved = call(server, "GET", f"/rooms/{room}/preferences", token=up)["preferences"]
    assert saved["reservation"] == {"value": 0.35, "range": [0.2, 0.4]}
    assert saved["issues"]["monitor"]["weight"] == {"value": 0.3, "range": [0.2, 0.4]}
    assert saved["issues"]["share"]["points"] == [[20, 1.0], [80, 0.0]]
    assert saved["red_lines"] == submitted["red_lines"]
