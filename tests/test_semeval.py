"""SemEval-2018 Task 5 evaluation: reading the task's folder, the questions, the official scorer's
arithmetic, the answer files, and a run on a tiny made-up folder (no ../shared needed)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from click.testing import CliRunner

from tollbook.cli import main
from tollbook.errors import DatasetError
from tollbook.evaluate import semeval

# Made-up reports in the task's layout: date line, title line, tokenised body with " NEWLINE".
DOCS = {
    "d1": "2017-01-10\nMan shot dead in Springfield , police say\nSPRINGFIELD , Ill. — A 34-year - old man was shot "
          "and killed Monday night on the city 's east side , police said . NEWLINE\nThe victim , Darnell Okafor , "
          "34 , was pronounced dead at the scene . NEWLINE\nNo arrests have been made .",
    "d2": "2017-01-11\nPolice name Springfield shooting victim\nSPRINGFIELD , Ill. — Police on Tuesday identified "
          "the man shot and killed Monday night in Springfield as Darnell Okafor , 34 . NEWLINE\nInvestigators "
          "are asking witnesses to come forward .",
    "d3": "2017-01-17\nTwo teens wounded in Peoria shooting\nPEORIA , Ill. — Two teenagers were shot and wounded "
          "Sunday evening in Peoria , police said . NEWLINE\nThe boys , 15 and 16 , were taken to a hospital "
          "with injuries that are not life - threatening . NEWLINE",
    "d4": "2017-02-04\nWoman injured in Dayton shooting\nDAYTON , Ohio — A woman was shot and wounded Friday "
          "afternoon in Dayton , police said . NEWLINE\nShe was taken to a hospital in stable condition .",
}
QUESTIONS = {
    "s1": {
        "1-1": {"event_type": "killing", "subtask": 1, "time": {"day": "09/01/2017"},
                "location": {"city": "http://dbpedia.org/resource/Springfield,_Illinois"},
                "verbose_question": "Which ['killing'] event happened in 09/01/2017 (day) in "
                                    "('Illinois', 'Springfield') (city) ?"},
        "1-2": {"event_type": "killing", "subtask": 1, "time": {"year": "2017"}, "participant": {"last": "Okafor"},
                "verbose_question": "Which ['killing'] event happened in 2017 (year) that involve the name "
                                    "Okafor (last) ?"},
    },
    "s2": {
        "2-1": {"event_type": "injuring", "subtask": 2, "time": {"month": "01/2017"},
                "location": {"state": "http://dbpedia.org/resource/Illinois"},
                "verbose_question": "How many ['injuring'] events happened in 01/2017 (month) in ('Illinois',) "
                                    "(state) ?"},
        "2-2": {"event_type": "fire_burning", "subtask": 2, "time": {"year": "2017"},
                "location": {"state": "http://dbpedia.org/resource/Ohio"},
                "verbose_question": "How many ['fire_burning'] events happened in 2017 (year) in ('Ohio',) "
                                    "(state) ?"},
    },
    "s3": {
        "3-1": {"event_type": "injuring", "subtask": 3, "time": {"year": "2017"},
                "location": {"state": "http://dbpedia.org/resource/Illinois"},
                "verbose_question": "How many people were injured in 2017 (year) in ('Illinois',) (state) ?"},
        "3-2": {"event_type": "killing", "subtask": 3, "time": {"month": "02/2017"},
                "location": {"city": "http://dbpedia.org/resource/Dayton,_Ohio"},
                "verbose_question": "How many people were killed in 02/2017 (month) in ('Ohio', 'Dayton') (city) ?"},
    },
}
GOLD = {
    "s1": {"1-1": {"numerical_answer": 1, "answer_docs": ["d1", "d2"]}},
    "s2": {"2-1": {"numerical_answer": 1, "answer_docs": ["d3"]},
           "2-2": {"numerical_answer": 0, "answer_docs": []}},
    "s3": {"3-1": {"numerical_answer": 2, "answer_docs": ["d3"],
                   "part-info": {"7": {"num_killed": 0, "num_injured": 2}}}},
}


def write_folder(folder, docs=DOCS, questions=QUESTIONS, gold=GOLD):
    folder.mkdir(exist_ok=True)
    for sub in semeval.SUBTASKS:
        (folder / f"{sub}.json").write_text(json.dumps({"questions": questions[sub], "answers": gold[sub]}), "utf-8")
    (folder / "documents.jsonl").write_text(
        "".join(json.dumps({"doc_id": k, "text": v}) + "\n" for k, v in docs.items()), "utf-8")
    return folder


# -- reading -------------------------------------------------------------------------------------------


def test_document_fields():
    f = semeval.document_fields(DOCS["d1"])
    assert f["published"] == dt.date(2017, 1, 10)
    assert f["title"] == "Man shot dead in Springfield, police say"
    assert "NEWLINE" not in f["text"]
    assert f["text"].startswith("SPRINGFIELD, Ill. — A 34-year-old man")
    assert "police said.\n\nThe victim, Darnell Okafor, 34, was" in f["text"]


def test_read_keeps_questions_with_and_without_gold(tmp_path):
    data = semeval.read(write_folder(tmp_path / "t"))
    assert set(data.questions["s1"]) == {"1-1", "1-2"} and set(data.gold["s1"]) == {"1-1"}
    assert [d["doc_id"] for d in data.documents] == ["d1", "d2", "d3", "d4"]


@pytest.mark.parametrize("spoil, message", [
    (lambda f: (f / "s2.json").unlink(), "no such file"),
    (lambda f: (f / "s3.json").write_text("{not json", "utf-8"), "not JSON"),
    (lambda f: (f / "s1.json").write_text("[1, 2]", "utf-8"), "no \"questions\""),
    (lambda f: (f / "documents.jsonl").write_text('{"doc_id": "x", "text": "a"}\n{oops\n', "utf-8"),
     "documents.jsonl line 2: not JSON"),
    (lambda f: (f / "documents.jsonl").write_text('{"id": "x"}\n', "utf-8"), "not a document"),
])
def test_bad_folder_is_one_clear_error(tmp_path, spoil, message):
    folder = write_folder(tmp_path / "t")
    spoil(folder)
    with pytest.raises(DatasetError, match=message):
        semeval.read(folder)
    result = CliRunner().invoke(main, ["eval", "semeval2018t5", str(folder)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tollbook: error: semeval2018t5:") and message in lines[0]


def test_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "s1.json").write_text("{}", "utf-8")
    with pytest.raises(DatasetError, match="is not a folder"):
        semeval.read(tmp_path / "s1.json")


# -- questions -----------------------------------------------------------------------------------------


def test_questions_are_read_from_fields_and_verbose_place():
    q = semeval.parse_question("1-1", "s1", QUESTIONS["s1"]["1-1"])
    assert (q.event_type, q.start, q.end, q.cities, q.state) == (
        "killing", dt.date(2017, 1, 9), dt.date(2017, 1, 9), {"springfield"}, "illinois")
    month = semeval.parse_question("2-1", "s2", QUESTIONS["s2"]["2-1"])
    assert (month.start, month.end, month.state, month.cities) == (
        dt.date(2017, 1, 1), dt.date(2017, 1, 31), "illinois", frozenset())
    # the verbose form gives the registry's spelling; the DBpedia title may be a neighbourhood
    odd = semeval.parse_question("x", "s2", {
        "event_types": ["injuring"], "location": {"city": "http://dbpedia.org/resource/Chicago"},
        "verbose_question": "How many ['injuring'] events happened in ('Illinois', 'Chicago (Englewood)') (city) ?"})
    assert odd.event_type == "injuring" and odd.cities == {"chicago", "englewood"} and odd.state == "illinois"
    # without the verbose form, the DBpedia title: "City, State", a township, a state "(U.S. state)"
    bare = semeval.parse_question("x", "s2", {"event_type": "killing", "location": {
        "city": "http://dbpedia.org/resource/Joliet_Township,_Will_County,_Illinois"}})
    assert bare.cities == {"joliet township", "joliet"} and bare.state == "illinois"
    georgia = semeval.parse_question("x", "s2", {"event_type": "killing", "location": {
        "state": "http://dbpedia.org/resource/Georgia_(U.S._state)"}})
    assert georgia.state == "georgia" and not georgia.cities
    named = semeval.parse_question("x", "s1", QUESTIONS["s1"]["1-2"])
    assert named.last == "Okafor" and named.first is None and named.start == dt.date(2017, 1, 1)


def test_participants_are_people_the_report_involves():
    text = ("The victim, Darnell Okafor, 34, was pronounced dead. Police Chief Maria Lopez said 17-year-old "
            "Tiris Coleman Jr. was arrested. Casey McLean was shot in the leg. Neighbour John Smith heard it. "
            "Photo: Ann Lee")
    assert semeval.person_names(text) == {"darnell okafor", "tiris coleman", "casey mclean"}
    assert semeval.person_names(text, cued=False) == {"darnell okafor", "tiris coleman", "casey mclean",
                                                      "john smith"}


def test_state_mentions():
    text = ("FORT WAYNE, Ind. (WANE) - a man from Raleigh, N.C. was shot at 100 West Colorado Avenue; "
            "Memphis, TN station; Lopez, La Jolla; Wichita, Kansas News")
    assert semeval.state_mentions(text) == {"indiana", "north carolina", "tennessee", "kansas"}


# -- the official scorer's arithmetic ---------------------------------------------------------------------


def test_score_follows_the_official_scorer():
    gold = {
        "s1": {"a": {"numerical_answer": 1, "answer_docs": ["x", "y"]},
               "b": {"numerical_answer": 1, "answer_docs": {"inc1": ["z"]}},  # test-data layout
               "c": {"numerical_answer": 1, "answer_docs": ["w"]}},
        "s2": {"a": {"numerical_answer": 3, "answer_docs": ["x", "y", "z"]},
               "b": {"numerical_answer": 0, "answer_docs": []},
               "c": {"numerical_answer": 2, "answer_docs": ["v", "w"]},
               "d": {"numerical_answer": 5, "answer_docs": ["u"]}},
        "s3": {"a": {"numerical_answer": 4, "answer_docs": ["x"]}},
    }
    system = {
        "s1": {"a": {"numerical_answer": 1, "answer_docs": ["x"]},  # P 1, R 1/2: F1 2/3
               "b": {"numerical_answer": 1, "answer_docs": ["z"]},  # F1 1
               "extra": {"numerical_answer": 1, "answer_docs": ["q"]}},  # no gold: not scored
        # "c" unanswered: only s1_answered counts it
        "s2": {"a": {"numerical_answer": 3, "answer_docs": ["x", "q"]},  # right; P 1/2, R 1/3: F1 0.4
               "b": {"numerical_answer": 0, "answer_docs": []},  # right; both empty: F1 1
               "c": {"numerical_answer": 5, "answer_docs": []}},  # off by 3; F1 0
        "s3": {},
    }
    m = semeval.score(system, gold)
    assert m["s1_doc_f1"] == pytest.approx((2 / 3 + 1) / 2)
    assert m["s1_answered"] == pytest.approx(2 / 3)
    assert m["s2_accuracy"] == pytest.approx(2 / 3)
    assert m["s2_rmse"] == pytest.approx(math.sqrt(9 / 3))
    assert m["s2_doc_f1"] == pytest.approx((0.4 + 1 + 0) / 3)
    assert m["s2_answered"] == pytest.approx(3 / 4)
    assert (m["s3_accuracy"], m["s3_rmse"], m["s3_doc_f1"], m["s3_answered"]) == (0.0, 0.0, 0.0, 0.0)
    assert (m["s1_n"], m["s2_n"], m["s3_n"], m["n"]) == (3, 4, 1, 8)
    assert list(m)[:len(semeval.METRICS)] == list(semeval.METRICS)


# -- a run on the made-up folder ------------------------------------------------------------------------------


@pytest.fixture()
def outcome(tmp_path, extractor):
    folder = write_folder(tmp_path / "t")
    return semeval.evaluate(folder, extractor=extractor)


def test_run_answers_and_scores(outcome):
    metrics, run = outcome
    answers = run.answers
    assert "2-2" not in answers["s2"]  # fire_burning: tollbook records no fires, so no answer
    assert metrics["s2_answered"] == 0.5  # ... which counts against s2_answered only
    assert {"d1", "d2"} <= set(answers["s1"]["1-1"].docs())  # one Springfield killing, told twice
    assert answers["s1"]["1-1"].numerical_answer == 1
    assert set(answers["s1"]["1-2"].docs()) & {"d1", "d2"}  # Darnell Okafor
    assert answers["s2"]["2-1"].numerical_answer >= 0
    injured = answers["s3"]["3-1"]
    assert injured.numerical_answer == sum(f.injured for f in injured.incidents)
    assert 0.0 <= metrics["s1_doc_f1"] <= 1.0 and metrics["n"] == 4


def test_answer_files_are_the_task_format_and_rescore_the_same(outcome, tmp_path):
    metrics, run = outcome
    written = run.write(tmp_path / "out")
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == [
        "s1/answers.json", "s2/answers.json", "s3/answers.json"]
    files = {sub: json.loads((tmp_path / "out" / sub / "answers.json").read_text("utf-8")) for sub in semeval.SUBTASKS}
    # only questions with gold: the official scorer looks each answered question up in its gold
    assert set(files["s1"]) == {"1-1"} and set(files["s2"]) == {"2-1"} and set(files["s3"]) == {"3-1"}
    for answers in files.values():
        for a in answers.values():
            assert isinstance(a["numerical_answer"], int)
            assert isinstance(a["answer_docs"], list) and all(isinstance(d, str) for d in a["answer_docs"])
    s3 = files["s3"]["3-1"]
    assert set(s3["part_info"]) == set(s3["incidents"])
    assert all(set(v) == {"num_killed", "num_injured"} for v in s3["part_info"].values())
    assert sorted({d for ds in s3["incidents"].values() for d in ds}) == s3["answer_docs"]
    assert semeval.score(files, GOLD) == metrics


def test_cli_writes_answers(tmp_path):
    folder = write_folder(tmp_path / "t")
    result = CliRunner().invoke(main, ["eval", "semeval2018t5", str(folder), "--json", "--answers-out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert set(semeval.METRICS) <= set(metrics) and metrics["n"] == 4
    assert (tmp_path / "out" / "s3" / "answers.json").is_file()
    assert "answers written to" in result.stderr
    wrong = CliRunner().invoke(main, ["eval", "seed", str(folder), "--answers-out", str(tmp_path / "x")])
    assert wrong.exit_code != 0 and "semeval2018t5 only" in wrong.output


def _facts(**kw):
    base = dict(id="i1", docs=["d1"], killed=0, injured=0, when=(dt.date(2017, 1, 9), dt.date(2017, 1, 9)),
                places=[], text="")
    return semeval.Facts(**{**base, **kw})


def test_a_fatal_shooting_is_an_injuring_too_but_a_wounding_is_no_killing():
    injuring = semeval.Question("q", "s2", "injuring")
    killing = semeval.Question("q", "s2", "killing")
    dead, wounded = _facts(killed=1), _facts(injured=2)
    assert semeval.fits_type(injuring, dead) and semeval.fits_type(injuring, wounded)
    assert semeval.fits_type(killing, dead) and not semeval.fits_type(killing, wounded)
    assert semeval.fits_type(killing, _facts(text="Woman found shot to death in her car"))


def test_a_place_in_a_state_the_reports_never_name_yields_to_what_they_say():
    """"Englewood" resolved to a town of another state, in reports that name only Illinois and Chicago."""
    q = semeval.Question("q", "s2", "injuring", cities=frozenset({"chicago"}), state="illinois")
    text = "Boy, 15, shot in Englewood\nCHICAGO - A 15-year-old boy was shot in Englewood, Illinois police said."
    misplaced = _facts(places=[(frozenset({"englewood"}), "colorado")], text=text, states=frozenset({"illinois"}))
    assert semeval.fits_place(q, misplaced)
    # a place in a state its reports do name stays where it is
    elsewhere = _facts(places=[(frozenset({"aurora"}), "colorado")], text="Aurora, Colorado: a man was shot.",
                       states=frozenset({"colorado"}))
    assert not semeval.fits_place(q, elsewhere)


def test_a_place_resolved_in_one_state_does_not_also_fit_another_its_reports_name():
    """A town placed in Colorado, in reports that name Colorado nowhere but name Kansas (a suspect from
    Wichita): it is a Colorado incident, not a Kansas one as well."""
    q = semeval.Question("q", "s2", "injuring", state="kansas")
    f = _facts(places=[(frozenset({"pueblo"}), "colorado"), (frozenset({"denver"}), "colorado")],
               text="A man from Wichita, Kansas, was shot in Pueblo.", states=frozenset({"kansas", "texas"}))
    assert semeval.fits_place(semeval.Question("q", "s2", "injuring", state="colorado"), f)
    assert not semeval.fits_place(q, _facts(places=f.places + [(frozenset({"austin"}), "texas")], text=f.text,
                                            states=f.states))


def test_people_involved_are_those_the_opening_of_a_report_names():
    """A name far down a report (another case, a relative quoted) is not a person the incident involves."""
    opening = "Marla Quint, 27, was shot and wounded Sunday on Elm Street, police said. "
    text = opening + "Neighbours spoke of the street. " * 20 + "Last year Tobias Wren, 30, was shot nearby."
    assert len(opening + "Neighbours spoke of the street. " * 20) > semeval.INVOLVED_CHARS
    names = semeval.person_names(text[:semeval.INVOLVED_CHARS])
    assert "marla quint" in names and "tobias wren" not in names


def test_only_incidents_a_report_is_about_are_counted():
    """A round-up's other shootings ("In another shooting, a woman was wounded in Aurora") are not
    incidents of their own in the answers: each counted incident holds some report's lead event."""
    from tollbook.reconcile import build_incidents
    from tollbook.records import Event, Evidence, Figure, Place, Report, When

    day = dt.date(2017, 3, 5)
    r = Report.from_text("A man was shot and killed in Joliet. In another shooting, a woman was wounded in Aurora.",
                         published=day)
    ev = (Evidence(r.id, 0, 4, r.text[:4]),)

    def event(town, lat, lon, kind, n):
        place = Place(town, ev, "United States", "US", "Illinois", None, lat, lon, "city", f"user:{town}", city=town)
        return Event(r.id, "Attack", "main", ev, [Figure(kind, 1, 1, "exact", ev)], [place],
                     [When(day, day, "day", ev)], id=n)

    events = [event("Joliet", 41.53, -88.08, "killed", 1), event("Aurora", 41.76, -88.32, "injured", 2)]
    incidents = build_incidents(events, {r.id: r})
    assert len(incidents) == 2
    built = semeval.Built(incidents, {r.id: r}, {r.id: ["doc1"]})
    facts = semeval.facts_of(incidents, built)
    assert [f.killed for f in facts] == [1]  # the Joliet killing, what the report is about


def test_a_date_over_a_year_before_the_reports_is_not_the_incidents():
    """A misread "1977" or the first of an old case: the incident happened when its report came out."""
    from tollbook.records import Evidence, Report, When

    r = Report.from_text("Victims of the airport shooting had planned a holiday.", published=dt.date(2017, 1, 7))
    ev = (Evidence(r.id, 0, 4, r.text[:4]),)

    class Inc:
        events = [type("E", (), {"when": When(dt.date(1977, 1, 7), dt.date(1977, 1, 7), "day", ev)})()]

    assert semeval._when_of(Inc, [r]) == (dt.date(2017, 1, 7), dt.date(2017, 1, 7))
    Inc.events.append(type("E", (), {"when": When(dt.date(2017, 1, 6), dt.date(2017, 1, 6), "day", ev)})())
    assert semeval._when_of(Inc, [r]) == (dt.date(2017, 1, 6), dt.date(2017, 1, 6))
