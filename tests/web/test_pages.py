"""End to end in headless Chromium: plan, check for gaps, answer a request, re-plan."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from rota.domain.checks import check
from rota.io.rotaread import read_rota
from rota.io.service_workbook import read_any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rota"
TIME_LIMIT = "10"  # as the server in conftest.py
SOLVE_WAIT = 120_000  # ms: a plan waits its turn behind others on a busy machine


def upload_and_plan(page, server, workbook):
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", workbook)
    page.click("button[type=submit]")
    page.wait_for_selector("h1 >> text=/Planned|cannot|No rota/", timeout=SOLVE_WAIT)


def download(page, link_text, folder):
    with page.expect_download() as started:
        page.get_by_role("link", name=link_text).click()
    saved = folder / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def hard_rules_hold(rota_path, rules_path) -> None:
    """Read the downloaded rota back and check every hard rule on every day."""
    grid = read_rota(rota_path)
    for problem in read_any(rules_path).teams:
        ids = {p.id for p in problem.staff}
        statuses = {k: v for k, v in grid.statuses.items() if k[0] in ids}
        broken = [r for r in check(problem, statuses) if not r.holds]
        assert not broken, broken[:3]


def test_plan_a_team_shows_the_grid_and_downloads_what_the_cli_writes(page, server, tmp_path):
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", FIXTURES / "team.xlsx")
    report = page.locator("#check-report")
    report.get_by_text("team.xlsx is fine.").wait_for(timeout=60_000)
    page.click("button[type=submit]")
    page.wait_for_selector("table.grid", timeout=SOLVE_WAIT)
    assert page.locator("table.grid tr.person").count() == 12
    assert page.locator("table.grid td.code-NWD").count() > 20  # codes in the cells
    assert "NWD" in page.locator("table.grid td.code-NWD").first.inner_text()
    assert page.locator("table.grid th.wk", has_text="Week 1 (A)").count() == 1
    assert page.get_by_text(re.compile(r"Flexi days: \d+ taken")).is_visible()
    assert page.locator(".people > li").count() == 12

    rota = download(page, "Rota workbook (.xlsx)", tmp_path)
    book = load_workbook(rota)
    assert book.sheetnames[:3] == ["Rota", "Summary", "Checks"]
    assert book["Checks"]["A1"].value == "All hard rules hold on every day."
    assert _hours_shown(page) == _hours_written(book["Summary"])
    hard_rules_hold(rota, FIXTURES / "team.xlsx")
    csv_bytes = download(page, "Rota as CSV", tmp_path).read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs, as the CLI
    csv_text = csv_bytes.decode("utf-8-sig")
    assert csv_text.startswith("team,staff_id,name,pattern,date,week,status")
    assert len(csv_text.splitlines()) == 1 + 12 * 65
    calendars = zipfile.ZipFile(download(page, "Calendars (.ics, zipped)", tmp_path))
    assert len(calendars.namelist()) == 12
    assert b"BEGIN:VCALENDAR" in calendars.read("SW03.ics")
    template = load_workbook(download(page, "Blank team template", tmp_path))
    assert {"Team", "Staff", "Duty", "Leave"} <= set(template.sheetnames)


def _hours_shown(page) -> list[list[str]]:
    """The page's 'Hours over the period' table: ID and balance on each line."""
    heading = page.get_by_role("heading", name="Hours over the period")
    table = heading.locator("xpath=following-sibling::div[1]//table")
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[1].innerText, r.cells[8].innerText])"
    )


def _hours_written(sheet) -> list[list[str]]:
    """The same read from the Summary sheet itself."""
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "Hours over the period")
    header = next(i for i in range(start, len(rows)) if rows[i][0] == "Team")
    body = []
    for row in rows[header + 1 :]:
        if row[0] is None:
            break
        body.append([str(row[1]), str(row[8])])
    return body


def test_plan_a_service_shows_every_team(page, server, tmp_path):
    upload_and_plan(page, server, FIXTURES / "service.xlsx")
    names = [p.team.name for p in read_any(FIXTURES / "service.xlsx").teams]
    grid = page.locator("table.grid").inner_text()
    assert all(name in grid for name in names)
    assert len(_hours_shown(page)) == page.locator(".people > li").count() > 50
    duty = page.get_by_role("heading", name=re.compile("^Duty shared"))
    per_head = duty.locator("xpath=following-sibling::div[1]//tbody/tr/td[4]").all_inner_texts()
    assert 2 <= len(per_head) <= len(names)  # the teams that share duty
    assert all(re.fullmatch(r"\d+(\.\d{1,2})?", value) for value in per_head), per_head
    hard_rules_hold(download(page, "Rota workbook (.xlsx)", tmp_path), FIXTURES / "service.xlsx")


def _bad_team(tmp_path):
    book = load_workbook(FIXTURES / "team.xlsx")
    staff = book["Staff"]
    headers = [c.value for c in staff[1]]
    staff.cell(3, headers.index("Pattern") + 1, "7DW")
    staff.cell(4, headers.index("Hours per week") + 1, "lots")
    path = tmp_path / "bad-team.xlsx"
    book.save(path)
    return path


def test_mistakes_are_listed_at_once_in_the_words_of_rota_check(page, server, tmp_path):
    path = _bad_team(tmp_path)
    result = CliRunner().invoke(main, ["rota", "check", str(path)])
    assert result.exit_code == 2
    expected = [line[4:] for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(expected) >= 2
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", path)
    page.locator("#check-report .problems").wait_for(timeout=60_000)
    assert _problems(page, "#check-report li") == expected
    shown = page.locator("#check-report li", has_text="'7DW'").locator(".row-shown")
    assert "Daniel Okafor" in shown.inner_text() and "7DW" in shown.inner_text()
    page.click("button[type=submit]")  # planning it anyway lists the same problems
    page.wait_for_selector("section.problems", timeout=SOLVE_WAIT)
    assert _problems(page, "section.problems li") == expected
    assert page.locator("section.problems .row-shown").count() == len(expected)


def _problems(page, selector: str) -> list[str]:
    """Each listed problem's own words, without the row shown beside it."""
    return page.locator(selector).evaluate_all("els => els.map(e => e.firstChild.textContent)")


def test_gaps_in_a_hand_made_rota(page, server, tmp_path):
    page.goto(f"{server}/gaps")
    page.set_input_files("#rota", FIXTURES / "handmade_rota.xlsx")
    page.set_input_files("#rules", FIXTURES / "team.xlsx")
    page.click("button[type=submit]")
    page.wait_for_selector("table.heat", timeout=SOLVE_WAIT)
    assert re.fullmatch(r"\d+ gap\(s\) found", page.locator("h1").inner_text())
    listed = page.locator("table.summary tbody tr").count()
    assert listed > 0
    first = page.locator(".heat-cell").first
    first.focus()  # keyboard: tab to a day and its gaps are shown
    details = page.locator("#heat-details")
    assert first.get_attribute("data-where") in details.inner_text()
    assert ":" in details.locator("li").first.inner_text()
    page.locator(".heat-cell").last.hover()
    assert page.locator(".heat-cell").last.get_attribute("data-where") in details.inner_text()
    gaps = load_workbook(download(page, "Gaps workbook (.xlsx)", tmp_path))["Gaps"]
    assert gaps.max_row - 1 == listed
    result = CliRunner().invoke(
        main,
        ["rota", "gaps", str(FIXTURES / "handmade_rota.xlsx"), "--rules",
         str(FIXTURES / "team.xlsx"), "--out", str(tmp_path / "cli")],
    )  # fmt: skip
    assert result.exit_code == 3
    assert (tmp_path / "cli" / "summary.txt").read_text().strip() == page.locator(
        "pre.text"
    ).inner_text().strip()


def test_answer_a_request_as_rota_request_does(page, server):
    page.goto(f"{server}/request")
    page.set_input_files("#workbook", FIXTURES / "team.xlsx")
    page.fill("#staff", "SW03")
    page.select_option("#pattern", "9DF")
    page.select_option("#day", "Fri")
    page.click("button[type=submit]")
    page.wait_for_selector("ul.answer", timeout=SOLVE_WAIT)
    result = CliRunner().invoke(
        main,
        ["rota", "request", str(FIXTURES / "team.xlsx"), "--staff", "SW03", "--pattern",
         "9DF", "--day", "Fri", "--time-limit", TIME_LIMIT],
    )  # fmt: skip
    lines = page.locator("ul.answer li").all_inner_texts()
    assert [line.strip() for line in lines] == [line.strip() for line in result.output.splitlines()]
    verdict = page.locator("h1").inner_text()
    assert ("Can be granted" in verdict) == (result.exit_code == 0)


def test_a_request_for_someone_unknown_is_refused_with_a_message(page, server):
    page.goto(f"{server}/request")
    page.set_input_files("#workbook", FIXTURES / "team.xlsx")
    page.fill("#staff", "<b>XX99</b>")
    page.click("button[type=submit]")
    page.wait_for_selector("section.problems", timeout=SOLVE_WAIT)
    text = page.locator("section.problems").inner_text()
    assert "Staff ID: no staff member with id '<b>XX99</b>'" in text  # as text, not markup
    assert page.locator("section.problems b").count() == 0


def test_replan_after_sickness_marks_the_changes(page, server, tmp_path, given_back_team):
    rota = tmp_path / "rota.xlsx"
    planned = CliRunner().invoke(
        main, ["rota", "plan", str(FIXTURES / "team.xlsx"), "--out", str(rota)]
    )
    assert planned.exit_code == 0, planned.output
    page.goto(f"{server}/replan")
    page.set_input_files("#rota", rota)
    page.set_input_files("#rules", given_back_team)
    page.fill("#staff1", "SW03")
    page.fill("#first1", "2027-05-17")
    page.fill("#last1", "2027-05-21")
    page.click("button[type=submit]")
    page.wait_for_selector("table.grid", timeout=SOLVE_WAIT)
    assert page.locator("h1").inner_text().startswith("Re-planned from 2027-05-17")
    changes = page.locator("table.summary tbody tr")
    assert changes.count() >= 1
    assert "SW03" in changes.first.inner_text()
    assert page.locator("table.grid td.changed").count() >= 1
    assert "changed" in page.locator("table.grid td.changed").first.inner_text()
    new = load_workbook(download(page, re.compile("Re-planned rota"), tmp_path))
    assert "Changes" in new.sheetnames
    grid = read_rota(tmp_path / "rota-replanned.xlsx")
    sick = [grid.statuses["SW03", dt.date(2027, 5, 17) + dt.timedelta(d)] for d in range(5)]
    assert all(not s.present for s in sick)


def test_every_form_control_has_a_label(page, server):
    for path in ("/plan", "/gaps", "/request", "/replan"):
        page.goto(f"{server}{path}")
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input, select, button')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.textContent.trim())
                .map(e => e.outerHTML)"""
        )
        assert unlabelled == [], (path, unlabelled)


def test_user_text_is_escaped_and_the_policy_is_sent(page, server, tmp_path):
    book = load_workbook(FIXTURES / "team.xlsx")
    team = book["Team"]
    for row in range(1, team.max_row + 1):
        if team.cell(row, 1).value == "Team name":
            team.cell(row, 2, "<script>window.pwned=1</script><img src=x>")
    path = tmp_path / "odd.xlsx"
    book.save(path)
    response = page.goto(f"{server}/plan")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    upload_and_plan(page, server, path)
    assert "<script>window.pwned=1</script>" in page.locator("table.grid caption").inner_text()
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("main img").count() == 0
    assert page.locator("script").count() == 1  # only the shipped app.js


def test_template_download_is_a_workbook(server, page, tmp_path):
    page.goto(server)
    service = load_workbook(download(page, "service template (.xlsx)", tmp_path))
    assert "Teams" in service.sheetnames


def test_planning_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/plan")
        page.set_input_files("#workbook", FIXTURES / "team.xlsx")
        page.click("button[type=submit]")  # the waiting page refreshes itself
        page.wait_for_selector("table.grid", timeout=SOLVE_WAIT)
        assert page.locator("table.grid tr.person").count() == 12
    finally:
        context.close()


def test_a_rota_that_does_not_fit_its_rules_is_refused_on_the_gaps_page(page, server):
    page.goto(f"{server}/gaps")
    page.set_input_files("#rota", FIXTURES / "service.xlsx")  # rules, not a rota
    page.set_input_files("#rules", FIXTURES / "team.xlsx")
    page.click("button[type=submit]")
    page.wait_for_selector("section.problems", timeout=SOLVE_WAIT)
    assert "service.xlsx:" in page.locator("section.problems").inner_text()
    assert page.locator("form.upload #rota").count() == 1  # and the form, to try again


def test_a_workbook_that_plans_with_warnings_shows_them_as_warnings(page, server, tmp_path):
    template = tmp_path / "team.xlsx"
    assert CliRunner().invoke(main, ["rota", "template", str(template)]).exit_code == 0
    checked = CliRunner().invoke(main, ["rota", "check", str(template)])
    warned = [w[len("Warning: ") :] for w in checked.output.splitlines() if w.startswith("Warn")]
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", template)
    report = page.locator("#check-report")
    report.get_by_text("team.xlsx can be planned, but read the 2 warnings above.").wait_for(
        timeout=60_000
    )
    shown = report.locator("li.warning").evaluate_all(
        "els => els.map(e => e.lastChild.textContent)"
    )
    assert shown == warned and len(warned) == 2


def test_gaps_on_a_workwell_rota_need_no_rules_upload(page, server, tmp_path):
    upload_and_plan(page, server, FIXTURES / "team.xlsx")
    rota = download(page, "Rota workbook (.xlsx)", tmp_path)
    page.goto(f"{server}/gaps")
    page.set_input_files("#rota", rota)
    page.click("button[type=submit]")
    page.wait_for_selector("h1 >> text=/gap\\(s\\) found|No cover gaps/", timeout=SOLVE_WAIT)
    assert "the rules rota.xlsx was planned with" in page.locator("pre.text").inner_text()


def test_a_hand_made_rota_without_rules_is_refused_on_the_gaps_page(page, server):
    page.goto(f"{server}/gaps")
    page.set_input_files("#rota", FIXTURES / "handmade_rota.xlsx")
    page.click("button[type=submit]")
    page.wait_for_selector("section.problems", timeout=SOLVE_WAIT)
    assert "carries no rules" in page.locator("section.problems li").first.inner_text()


def test_allow_short_shows_the_short_days_red_and_marked(page, server, tmp_path):
    import dataclasses

    from rota.domain.service import Service
    from rota.io.service_workbook import write_service_workbook

    [problem] = read_any(FIXTURES / "team.xlsx").teams
    strict = dataclasses.replace(problem.team, min_present=11, min_present_on_duty=11)
    rules = write_service_workbook(
        tmp_path / "short.xlsx", Service("Short", [dataclasses.replace(problem, team=strict)])
    )
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", rules)
    page.check("#allow_short")
    page.click("button[type=submit]")
    page.wait_for_selector("table.grid", timeout=SOLVE_WAIT)
    assert page.locator("#short-heading").is_visible()
    assert "Cover is short on " in page.locator("#short-heading + p").inner_text()
    assert page.locator("table.grid td.short .mark").count() > 0
