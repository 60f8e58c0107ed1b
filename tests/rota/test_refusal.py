"""The refusal notes for the consultation meeting: grounds chosen from the request answer's
findings, and the Word document read back with python-docx."""

import datetime as dt

import pytest
from click.testing import CliRunner
from docx import Document

from cli import main
from rota.domain.problem import Pattern, StandingDay
from rota.domain.refusal import Ground
from rota.io.refusal_doc import COVER_HEADERS, NOT_ADVICE, TITLE, write_refusal
from rota.io.template import write_team_workbook
from rota.refusal import ground_of, refusal_case, suggested_grounds
from rota.requests import Alternative, CoverChange, Move, RequestAnswer

F9 = Pattern.NINE_DAY_FORTNIGHT
FRI_A = StandingDay(4, "A")
COVER_SHORT = "Fri 15 Jan: cover would fall to 1 of 2 needed (Person SW01 off)"
BUDDY = "Fri 29 Jan: cover buddy Person SW01 is off (a worker and their buddy ...)"
MOVES = "Fri 12 Feb: would move Person SW01's agreed Fri (week A)"


def answer(breaks=(COVER_SHORT, BUDDY, MOVES), cover=None, alternatives=None) -> RequestAnswer:
    """A refused answer as ``answer_request`` gives it, for SW02 asking for Fri of week A."""
    dates = (dt.date(2027, 1, 15), dt.date(2027, 1, 29), dt.date(2027, 2, 12))
    return RequestAnswer(
        "SW02",
        "Person SW02",
        F9,
        FRI_A,
        False,
        not breaks,
        dates,
        (Move(dates[2], "annual leave", None),),
        tuple(breaks),
        cover
        or (
            CoverChange(0, 3, 3, 1, 1),
            CoverChange(4, 3, 2, 1, 0),  # Friday: the request takes the last spare person
        ),
        0,
        1,
        alternatives
        or (
            Alternative(StandingDay(0, "A"), True, 1, 0, 0, ()),
            Alternative(StandingDay(2, "B"), True, 0, 0, 5, ()),
            Alternative(StandingDay(3, "A"), False, 0, 0, 5, ("Thu 14 Jan: cover ...",)),
        ),
    )


def three(make, weeks):
    """SW01 holds Friday of week A; only one of three may be off: SW02 cannot have it too."""
    staff = [
        make.person("SW01", agreed_day=FRI_A),
        make.person("SW02", preferred_days=(0, 4)),
        make.person("SW03", Pattern.FULL_TIME),
    ]
    return make.problem(staff, weeks=weeks, min_present=2)


@pytest.fixture
def team(make):
    return three(make, weeks=6)


@pytest.fixture
def fortnight(make):
    return three(make, weeks=2)  # small, so the solver's several plans are quick


@pytest.mark.parametrize(
    "finding, ground",
    [
        (COVER_SHORT, Ground.DEMAND),
        ("Mon 5 Apr: senior cover would fall to 0 of 1 needed", Ground.DEMAND),
        ("Tue 13 Apr, Tue 11 May: team on duty (2 of the 3 dates, ...)", Ground.DEMAND),
        (BUDDY, Ground.REORGANISE),
        (MOVES, Ground.REORGANISE),
        ("the planner cannot keep Fri (week A) as Person's standing day", Ground.REORGANISE),
    ],
)
def test_each_finding_supports_a_ground(finding, ground):
    assert ground_of(finding) is ground


def test_suggested_grounds_are_in_the_acts_order_with_their_findings():
    found = suggested_grounds(answer())
    assert list(found) == [Ground.DEMAND, Ground.REORGANISE, Ground.PERFORMANCE]
    assert found[Ground.DEMAND] == [COVER_SHORT]
    assert found[Ground.REORGANISE] == [BUDDY, MOVES]
    assert found[Ground.PERFORMANCE] == [
        "Fri: spare over the minimum falls from 1 to 0 (fewest in 3 -> 2)"
    ]


def document_text(path) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_the_document_holds_the_grounds_figures_and_alternatives(tmp_path, team):
    case = refusal_case(team, answer(), dt.date(2027, 1, 4), note="Fridays are court days.")
    path = write_refusal(tmp_path / "refusal.docx", case, "team.xlsx")
    paragraphs, tables = document_text(path)
    assert paragraphs[:2] == [TITLE, NOT_ADVICE]
    assert "not legal advice" in NOT_ADVICE
    facts = dict(map(tuple, tables[0]))
    assert facts["Employee"] == "Person SW02 (SW02)"
    assert facts["Asked for"] == "nine-day fortnight, standing day Fri (week A)"
    assert facts["Received"] == "Mon 4 Jan 2027"
    assert facts["Decision due by"].startswith("Wed 3 Mar 2027: two months beginning with")
    assert facts["Rota looked at"] == "Mon 11 Jan 2027 to Fri 19 Feb 2027 (6 weeks)"
    assert tables[1][0] == list(COVER_HEADERS)
    assert tables[1][1:] == [["Mon", "3", "3", "1", "1"], ["Fri", "3", "2", "1", "0"]]
    cover = Document(str(path)).tables[1]
    bold = [row.cells[0].paragraphs[0].runs[0].bold for row in cover.rows[1:]]
    assert bold == [False, True]  # the second signal: the weekday the request thins
    grounds = [p for p in paragraphs if p.startswith("(")]
    assert grounds == [
        "(ii) Detrimental effect on ability to meet customer demand",
        "(iii) Inability to re-organise work among existing staff",
        "(vi) Detrimental impact on performance",
    ]
    demand = paragraphs.index(grounds[0])
    assert paragraphs[demand + 2] == COVER_SHORT  # after the ground's plain words
    assert BUDDY in paragraphs and MOVES in paragraphs
    assert paragraphs.count(COVER_SHORT) == 1  # each finding said once
    assert "In my words: Fridays are court days." in paragraphs
    alternatives = paragraphs[paragraphs.index("Alternatives that could be granted") + 1 :]
    assert alternatives[0].startswith("Mon (week A), their 1st choice: keeps cover")
    assert alternatives[1].startswith("Wed (week B): keeps cover")
    assert alternatives[0].endswith("duty, leave or bank holidays move it on 1 date")
    assert alternatives[1].endswith("no duty, leave or bank holiday moves it")
    assert not any(line.startswith("Thu (week A)") for line in alternatives)  # not grantable
    assert any(line.startswith("Employee's points: ___") for line in paragraphs)


def test_a_ground_the_manager_names_asks_for_their_facts_and_no_finding_is_dropped(tmp_path, team):
    case = refusal_case(team, answer(), None, (Ground.COSTS, Ground.DEMAND))
    path = write_refusal(tmp_path / "refusal.docx", case, "team.xlsx")
    paragraphs, tables = document_text(path)
    assert [g.ground for g in case.grounds] == [Ground.COSTS, Ground.DEMAND]
    costs = paragraphs.index("(i) The burden of additional costs")
    assert paragraphs[costs + 1] == "[Add, in your own words, the facts behind this ground.]"
    assert dict(map(tuple, tables[0]))["Received"] == "[date received]"
    also = paragraphs.index("The rota also found (under none of the grounds above):")
    assert paragraphs[also + 1 : also + 3] == [BUDDY, MOVES]


def test_no_case_for_a_request_that_can_be_granted(team):
    with pytest.raises(ValueError, match="can be granted"):
        refusal_case(team, answer(breaks=()))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_command_writes_the_notes_for_a_refused_request_and_exits_4(tmp_path, fortnight):
    book = write_team_workbook(tmp_path / "team.xlsx", fortnight)
    out = tmp_path / "refusal.docx"
    asked = (
        "--staff",
        "SW02",
        "--pattern",
        "9DF",
        "--day",
        "Fri",
        "--week",
        "A",
        "--time-limit",
        5,
    )
    result = run("rota", "refusal", book, *asked, "--received", "04/01/2027", "--out", out)
    assert result.exit_code == 4, result.output
    assert "due by Wed 3 Mar 2027 (" in result.output
    paragraphs, tables = document_text(out)
    assert dict(map(tuple, tables[0]))["Received"] == "Mon 4 Jan 2027"
    # SW01 and SW02 both holding Friday A tie on every goal: either SW01 keeps the Friday
    # off (SW02's Friday would leave cover short) or SW02 takes it (SW01's agreed day moves)
    if "Grounds: (ii) Detrimental effect on ability to meet customer demand" in result.output:
        cover = [line for line in paragraphs if "cover would fall to 1 of 2 needed" in line]
        assert cover and all(line.startswith("Fri ") for line in cover)
    else:
        assert "Grounds: (iii) Inability to re-organise work among existing" in result.output
        assert any("would move Person SW01's agreed Fri (week A)" in p for p in paragraphs)
    monday = ("--staff", "SW02", "--pattern", "9DF", "--day", "Mon", "--week", "A")
    granted = run(
        "rota", "refusal", book, *monday, "--out", tmp_path / "no.docx", "--time-limit", 5
    )
    assert granted.exit_code == 0 and "CAN BE GRANTED" in granted.output
    assert not (tmp_path / "no.docx").exists()


def test_the_command_refuses_bad_input_and_writes_nothing(tmp_path, fortnight):
    book = write_team_workbook(tmp_path / "team.xlsx", fortnight)
    asked = ("--pattern", "9DF", "--day", "Fri", "--week", "A")
    result = run("rota", "refusal", book, "--staff", "XX9", *asked, "--out", tmp_path / "r.docx")
    assert result.exit_code == 2 and "--staff: no staff member with id 'XX9'" in result.output
    result = run("rota", "refusal", book, "--staff", "SW02", *asked, "--out", tmp_path / "r.md")
    assert result.exit_code == 2 and "ending .docx" in result.output
    note = ("--note", "court\x07days")
    result = run(
        "rota", "refusal", book, "--staff", "SW02", *asked, *note, "--out", tmp_path / "r.docx"
    )
    assert result.exit_code == 2 and "--note: holds control characters" in result.output
    result = run("rota", "refusal", book, "--staff", "SW02", *asked, "--out", book)
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx"]
