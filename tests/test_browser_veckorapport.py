"""The weekly report written on a phone, for real (issue 17): a reporter signs in through the test OpenID
Connect provider (tests/oidc/) in headless Chromium at 390×844 with touch, sees only Veckorapport and
Tillgänglighet, and submits a report through the form as a person would: tapping the ort, the place and
the grades. The page must fit the phone (no sideways scrolling, touch targets at least 44 px high).
Bad input from the same phone: a double tap on «Skicka rapport» stores one report, a comment with a
script is refused with the Swedish message and nothing is written, and the address of another page
gives no content but «Du har inte behörighet». Then the samordnare (admin) signs in and finds the
report on Lägesbild: in the places table and as «Rapporterat» in the coverage table, both read from the
page's own downloads. What does not fit the phone (sizes, sideways scrolling, a form not emptied after a
save) is collected and asserted at the end, so one run names all of it.

Screenshots go to test-artifacts/veckorapport_*.png (copies in $TSK_SHOTS_DIR when it is set)."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    ARTIFACTS,
    chromium,
    download_table_csv,
    free_port,
    oidc_provider,
    streamlit_server,
    wait_until_run_finished,
)
from tests.test_oidc_login import SECRET, sidebar_pages, sign_in
from tsk.config import ROOT, load_config
from tsk.i18n import t
from tsk.pagedata import common
from tsk.pagedata import lagesbild as lb
from tsk.store import open_store

REPORTER_EMAIL = "fritid@kommun.example"
REPORTER_GROUP = "TSK-Inrapportorer"
ADMIN_EMAIL = "samordnare@kommun.example"
USERS = {  # login -> claims, served by the test provider
    "fritid": {"email": REPORTER_EMAIL, "groups": [REPORTER_GROUP]},
    "samordnare": {"email": ADMIN_EMAIL, "groups": ["Annan grupp"]},
}
ACCESS = f"""
[access]
default_role = "läsare"
group_claim = "groups"

[access.users]
"{ADMIN_EMAIL}" = "admin"

[access.groups]
"{REPORTER_GROUP}" = "inrapportör"
"""
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
TOUCH_PX = 44  # the smallest touch target the page promises (WCAG 2.5.5)
COMMENT = "Glaskross vid entrén på morgonen, anmält till fastighetsskötaren."
SCRIPT_COMMENT = "<script>alert(1)</script>"
SHOTS = os.environ.get("TSK_SHOTS_DIR")


def reporter_config(tmp: Path) -> tuple[Path, str]:
    """The shipped config with login roles for the test users and the reporter listed (by e-mail) as the
    only reporter of one unit that lists nobody else. Returns (path, the unit's name)."""
    shipped = load_config(ROOT / "tsk.toml")
    unit = next(u for u in shipped.reporting_units if not u.reporters and not u.reporter_groups)
    text = (ROOT / "tsk.toml").read_text(encoding="utf-8")
    text = re.sub(r"\n\[access\].*?(?=\n# ---|\Z)", "\n" + ACCESS, text, flags=re.S)
    text, n = re.subn(rf'(\[\[reporting_units\]\]\nname = "{re.escape(unit.name)}"\n)',
                      rf'\1reporters = ["{REPORTER_EMAIL}"]\n', text)
    assert n == 1, unit.name
    path = tmp / "kommun.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert [u.name for u in config.reporting_units if u.has_reporter(REPORTER_EMAIL, [REPORTER_GROUP])] == [unit.name]
    return path, unit.name


@contextmanager
def app_with_reporter(db: Path, config_path: Path):
    app_port, provider_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    secrets = config_path.parent / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "{redirect}"
cookie_secret = "a-long-random-string-for-the-test-only"
client_id = "tsk"
client_secret = "{SECRET}"
server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email groups", prompt = "login" }}
""", encoding="utf-8")
    with oidc_provider(provider_port, SECRET, redirect, USERS), \
            streamlit_server(db, env={"TSK_CONFIG": str(config_path)}, args=["--secrets.files", str(secrets)],
                             port=app_port, log_name="streamlit_veckorapport.log") as url:
        yield url


def settle(page) -> None:
    """The script run over and every element drawn (no placeholders left, the page's last heading there)."""
    wait_until_run_finished(page)
    page.get_by_role("heading", name=t("vk_feedback_heading")).wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    page.wait_for_timeout(300)


def shot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own box, so the window is made as tall as the page
    for the picture (same width), then set back."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"veckorapport_{name}.png"
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / path.name)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


# --- the store, read the way the pages read it ------------------------------------------------------------
def app_reports(db: Path, unit: str) -> list[dict]:
    """The unit's current in-app reports (one per submission), read-only."""
    with open_store(db, read_only=True) as store:
        frame = store.app_reports_of([unit], since=(2000, 1))
    return frame.to_dict("records")


def lagesbild_rows(db: Path, report_id: str) -> int:
    with open_store(db, read_only=True) as store:
        return int(store.scalar("SELECT count(*) FROM lagesbild WHERE report_id = ?", [report_id]))


# --- the phone form -----------------------------------------------------------------------------------------
def widget(page, testid: str, label: str):
    """The Streamlit widget of this kind whose label is exactly `label`."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    return page.locator(f'[data-testid="{testid}"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').filter(has_text=exact))


def open_list(page, label: str):
    """Tap the selectbox `label` until its list is open; returns the box. Right after a save the first
    tap only focuses the box (Streamlit 1.67's combobox), a person taps again."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for _ in range(3):
        box.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=2000)
            break
        except AssertionError:
            continue
    return box


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox `label` by tapping it open and tapping the option."""
    box = open_list(page, label)
    box.fill(option)  # typing filters the list: the box shows the current choice, which would filter it
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_run_finished(page)


def grade(page, category: str, grade_label: str) -> None:
    widget(page, "stRadio", category).locator('[role="radiogroup"] label').filter(has_text=grade_label).click()


def fill_report(page, *, ort: str, place: str, grades: dict[str, str], comment: str) -> None:
    choose(page, t("vk_ort"), ort)
    choose(page, t("vk_place"), place)
    for category, label in grades.items():
        grade(page, category, label)
    widget(page, "stTextArea", t("vk_comment")).locator("textarea").fill(comment)


def submit_button(page):
    return page.get_by_role("button", name=t("vk_submit"), exact=True)


def phone_layout(page, where: str, targets: dict) -> list[str]:
    """What does not fit a phone here: a box that scrolls sideways, a touch target under TOUCH_PX."""
    problems = [f"{where}: {box} scrolls sideways ({wide} px in {view})"
                for box, (wide, view) in sideways_scroll(page).items()]
    for name, locator in targets.items():
        problems += [f"{where}: {name} {small}" for small in small_targets(page, locator)]
    return problems


def sideways_scroll(page) -> dict:
    """Each scrolling box of the page that is wider than its view (empty when nothing scrolls sideways)."""
    return page.evaluate("""() => {
        const boxes = [document.documentElement, document.body,
            ...document.querySelectorAll('[data-testid="stApp"], [data-testid="stAppViewContainer"],'
                + '[data-testid="stMain"], [data-testid="stMainBlockContainer"]')];
        const wide = {};
        for (const b of boxes) {
            if (b.scrollWidth > b.clientWidth + 1) wide[b.dataset.testid || b.tagName] = [b.scrollWidth, b.clientWidth];
        }
        return wide;
    }""")


def small_targets(page, locator) -> list[str]:
    """The visible elements of `locator` less than TOUCH_PX high (their text and height)."""
    small = []
    locator = locator.filter(visible=True)
    for i in range(locator.count()):
        el = locator.nth(i)
        box = el.bounding_box()
        if box and box["height"] < TOUCH_PX - 0.5:
            name = el.evaluate("e => e.innerText.trim() || e.querySelector('[aria-label]')?.getAttribute('aria-label')")
            small.append(f"{name[:40]!r}: {box['height']:.0f} px")
    return small


# --- the samordnare's view ----------------------------------------------------------------------------------
def download_table(page, key: str) -> list[dict]:
    """The CSV download `key` (tsk.ui.display.download_buttons) of a table in a «Visa som tabell»
    expander, as rows."""
    text = download_table_csv(page, key).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class Plan:
    """What the reporter writes: an ort with places, two categories and their grades (from the config)."""

    def __init__(self, config):
        self.config = config
        self.ort = next(o.name for o in config.orter if any(p.ort == o.name for p in config.platser))
        self.places = [p.name for p in config.platser if p.ort == self.ort]
        self.first, self.second = config.categories[0], config.categories[1]
        self.high, self.low = config.grades[max(config.grades)], config.grades[min(config.grades)]
        self.grades = {self.first.label: self.high, self.second.label: self.low}


def empty_form(page, unit: str, plan: Plan) -> list[str]:
    """The start page on the phone: only the reporter's pages, the unit as text, the open weeks, and
    touch targets of the promised size. Returns what does not fit the phone."""
    page.get_by_role("heading", level=1, name=t("page_veckorapport")).wait_for(timeout=60_000)
    settle(page)
    shot(page, "telefon_start")
    assert sidebar_pages(page) == {t("page_veckorapport"), t("page_tillganglighet")}
    assert unit in main_text(page)
    assert widget(page, "stSelectbox", t("vk_unit")).count() == 0
    weeks = widget(page, "stRadio", t("vk_week")).locator('[role="radiogroup"] label')
    assert weeks.count() >= 1 and weeks.first.inner_text().startswith(t("vk_week_this").split(" (")[0])
    targets = {
        "buttons": page.locator('[data-testid="stMain"] button').filter(
            has_text=re.compile(rf"^({re.escape(t('vk_submit'))}|{re.escape(t('vk_nothing_button'))})$")),
        "radios": page.locator('[data-testid="stMain"] [role="radiogroup"] label'),
        "selects": page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] div[role="group"]'),
    }
    targets = {name: locator.filter(visible=True) for name, locator in targets.items()}
    assert targets["buttons"].count() == 2
    assert targets["radios"].count() >= len(plan.config.categories) * len(plan.config.grades)
    assert targets["selects"].count() == 2  # Ort and Plats
    return phone_layout(page, "the empty form", targets)


def first_report(page, db: Path, unit: str, plan: Plan) -> tuple[dict, list[str]]:
    """Tap the report in and send it: saved, in «Dina rapporter», the form empty again. Returns the
    stored report and what went wrong on the phone."""
    fill_report(page, ort=plan.ort, place=plan.places[0], grades=plan.grades, comment=COMMENT)
    problems = phone_layout(page, "the filled form", {})
    # Streamlit's English «Press Ctrl+Enter to submit form» under the comment being typed is hidden.
    assert not page.get_by_text(re.compile(r"Press .*Enter to")).filter(visible=True).count()
    shot(page, "telefon_ifylld")
    submit_button(page).tap()
    wait_until_run_finished(page)
    page.get_by_text(re.compile("^" + re.escape(t("vk_saved").split(":")[0]))).wait_for(timeout=60_000)
    saved = app_reports(db, unit)
    assert len(saved) == 1 and saved[0]["status"] == "rapporterat" and saved[0]["actor"] == REPORTER_EMAIL
    assert lagesbild_rows(db, saved[0]["report_id"]) == len(plan.grades)
    actions = page.locator('[data-testid="stMain"] button').filter(
        has_text=re.compile(rf"^({re.escape(t('vk_edit'))}|{re.escape(t('vk_remove'))})$"))
    actions.filter(visible=True).last.wait_for(timeout=60_000)
    settle(page)
    assert actions.filter(visible=True).count() == 2
    own = main_text(page).split(t("vk_own_heading"), 1)[1]
    assert f"{plan.ort} / {plan.places[0]}" in own and plan.first.label in own
    # The form is empty again for the next report.
    left = {t("vk_ort"): page.get_by_role("combobox", name=t("vk_ort"), exact=True).input_value(),
            t("vk_comment"): widget(page, "stTextArea", t("vk_comment")).locator("textarea").input_value(),
            **{c: widget(page, "stRadio", c).locator("input:checked").count() for c in plan.grades}}
    if any(left.values()):
        open_list(page, t("vk_place"))
        offered = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        problems.append(f"after «{t('vk_submit')}»: the form still shows {left}; «{t('vk_place')}» offers {offered}")
    problems += phone_layout(page, "the list with a report", {"buttons": actions})
    shot(page, "telefon_sparad")
    return saved[0], problems


def fresh_form(page) -> list:
    """Reload the page (a new session: an empty form whatever the last save left in it); returns the
    list the new connection's sent frames are collected in."""
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    page.reload(wait_until="domcontentloaded")
    settle(page)
    return sent


def double_tap(page, db: Path, unit: str, plan: Plan) -> None:
    """Both taps of a double tap on «Skicka rapport» reach the app; one report is stored."""
    sent = fresh_form(page)
    fill_report(page, ort=plan.ort, place=plan.places[1] if len(plan.places) > 1 else t("vk_whole_ort"),
                grades={plan.first.label: plan.low}, comment="")
    before = len(sent)
    submit_button(page).dblclick()
    wait_until_run_finished(page)
    page.wait_for_timeout(1500)
    wait_until_run_finished(page)
    shot(page, "telefon_dubbeltryck")
    taps = [f for f in sent[before:] if b"vk_submit" in (f if isinstance(f, bytes) else f.encode())]
    assert len(taps) == 2, len(taps)  # each a run of the form with its submit button pressed
    reports = app_reports(db, unit)
    assert len(reports) == 2, reports
    newest = max(reports, key=lambda r: r["changed_at"])
    assert newest["versions"] == 1 and lagesbild_rows(db, newest["report_id"]) == 1
    assert "Traceback" not in page.locator("body").inner_text()


def script_comment(page, db: Path, unit: str, plan: Plan) -> None:
    """A comment with a script: the Swedish refusal, the store file untouched, the text kept in the form."""
    fresh_form(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    before = app_reports(db, unit)
    stamp = (db.stat().st_ino, db.stat().st_mtime_ns)
    fill_report(page, ort=plan.ort, place=t("vk_whole_ort"), grades={plan.second.label: plan.high},
                comment=SCRIPT_COMMENT)
    submit_button(page).tap()
    wait_until_run_finished(page)
    page.get_by_text(t("vr_comment_markup")).wait_for(timeout=60_000)
    shot(page, "telefon_skript")
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == stamp
    assert app_reports(db, unit) == before
    assert widget(page, "stTextArea", t("vk_comment")).locator("textarea").input_value() == SCRIPT_COMMENT
    assert dialogs == []


def other_page(page, url: str) -> list[str]:
    """Lägesbild by its address: none of its content, the navigation unchanged, and (the brief) «Du har
    inte behörighet»."""
    page.goto(url + "/lagesbild", wait_until="domcontentloaded")
    # A refused page may stop before its title: wait for a heading or a message, then for the run's end.
    page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stAlert"]').first.wait_for(
        timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1000)
    shot(page, "telefon_lagesbild")
    body = main_text(page)
    assert t("lb_coverage_heading") not in body and t("lb_trend_heading") not in body
    assert sidebar_pages(page) == {t("page_veckorapport"), t("page_tillganglighet")}
    return [] if t("no_access") in body else [f"/lagesbild: the reporter is not told «{t('no_access')}»"]


def samordnare_sees(browser, url: str, report: dict, unit: str, plan: Plan) -> None:
    """The admin finds the report on Lägesbild for its week: its place in the places table and the unit
    as «Rapporterat» in the coverage table (the tables' own CSV downloads)."""
    week = f"{report['iso_year']}-W{int(report['iso_week']):02d}"
    desk = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    page = desk.new_page()
    try:
        sign_in(page, url, "samordnare")
        page.goto(f"{url}/lagesbild?veckor={week}..{week}", wait_until="domcontentloaded")
        wait_until_run_finished(page)
        page.get_by_role("heading", name=t("lb_coverage_heading")).wait_for(timeout=60_000)
        placed = download_table(page, "lb_places")
        shot(page, "samordnare_lagesbild")
        assert {(r[t("col_ort")], r[t("col_plats")]) for r in placed} >= {(plan.ort, plan.places[0])}, placed
        coverage = {r[t("col_reporter")]: r for r in download_table(page, "lb_coverage")}
        assert int(coverage[unit][t("status_rapporterat")]) == 1, coverage.get(unit)
    finally:
        desk.close()


def counted_by_the_pages(db: Path, report: dict, unit: str, plan: Plan) -> None:
    """The same through the store reads Lägesbild uses: the coverage view counts the in-app report."""
    config = plan.config
    with open_store(db, read_only=True) as store:
        monday = store.scalar("SELECT min(week_start) FROM lagesbild WHERE report_id = ?", [report["report_id"]])
        areas = tuple(a.name for a in config.areas) + ("",)
        orgs = tuple(o.name for o in config.organisations)
        coverage = store.reporting_coverage(areas=areas, orgs=orgs, week_from=monday, week_to=monday)
        spots = store.lagesbild_places(areas=areas, orgs=orgs, cats=common.problem_categories(config),
                                       week_from=monday, week_to=monday)
    summary = lb.coverage_summary(coverage).set_index("reporter")
    assert summary.loc[unit, "rapporterat"] == 1
    assert ((spots["ort"] == plan.ort) & (spots["plats"] == plan.places[0])).any()


def test_a_reporter_reports_from_a_phone_and_the_samordnare_sees_it_on_lagesbild(demo_copy, browser, tmp_path):
    db = demo_copy
    config_path, unit = reporter_config(tmp_path)
    plan = Plan(load_config(config_path))
    assert app_reports(db, unit) == []
    with app_with_reporter(db, config_path) as url:
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        try:
            sign_in(page, url, "fritid")
            problems = empty_form(page, unit, plan)
            report, more = first_report(page, db, unit, plan)
            problems += more
            double_tap(page, db, unit, plan)
            script_comment(page, db, unit, plan)
            problems += other_page(page, url)
        finally:
            phone.close()
        samordnare_sees(browser, url, report, unit, plan)
    counted_by_the_pages(db, report, unit, plan)
    # What does not fit the phone or the brief, all of it at once (each is a fault of the page).
    assert problems == [], "\n".join(problems)
