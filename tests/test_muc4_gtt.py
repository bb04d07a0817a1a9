"""GTT's MUC-4 scorer (Du et al. 2021) as tollbook re-implements it, on invented templates."""

from __future__ import annotations

import json

import pytest

from tollbook.evaluate import muc4
from tollbook.evaluate.muc4 import gtt_docid, gtt_gold, gtt_metrics, gtt_normalize, gtt_score_doc


def tpl(kind="attack", **roles):
    out = {"incident_type": kind}
    for role in muc4.GTT_ROLES:
        out[role] = roles.get(role, [])
    return out


def test_normalisation_is_squads():
    assert gtt_normalize("The  F.M.L.N., an\tarmed   group") == "fmln armed group"
    assert gtt_normalize("THEATRE") == "theatre"  # "the" only as a word


@pytest.mark.parametrize(("mid", "key"), [("TST3-MUC4-0001", "30001"), ("TST4-MUC4-0100", "40100"),
                                          ("TST1-MUC3-0042", "10042"), ("DEV-MUC3-0007", "7")])
def test_document_keys(mid, key):
    assert gtt_docid(mid) == key


def test_gold_templates_from_the_keys():
    text = ("LIMA, 2 MAR 90 -- [TEXT] URBAN COMMANDOS OF THE RED DAWN FRONT [RDF] DYNAMITED\n"
            "A POWER PYLON AND KILLED JUAN PEREZ, A GUARD.")
    raw = [
        {"message.template": ["1"], "incident.type": ["BOMBING"], "perp.individual_id": ['? "URBAN COMMANDOS"'],
         "perp.organization_id": ['"RED DAWN FRONT" / "RDF" / "RED DAWN"'], "phys_tgt.id": ['"POWER PYLON"'],
         "hum_tgt.name": ['"JUAN PEREZ"'], "hum_tgt.description": ['"GUARD"'],
         "incident.instrument_id": ['"DYNAMITE"']},
        {"message.template": ["2"], "incident.type": ["BOMBING"], "perp.individual_id": ['? "URBAN COMMANDOS"'],
         "perp.organization_id": ['"RED DAWN FRONT" / "RDF" / "RED DAWN"'], "phys_tgt.id": ['"POWER PYLON"'],
         "hum_tgt.name": ['"JUAN PEREZ"'], "hum_tgt.description": ['"GUARD"'],
         "incident.instrument_id": ['"DYNAMITE"']},
    ]
    gold = gtt_gold(raw, text)
    assert len(gold) == 1  # identical templates count once
    g = gold[0]
    assert g["incident_type"] == "bombing"
    assert g["PerpInd"] == [["urban commandos"]]
    # every alternative found in the text, in order of first appearance
    assert g["PerpOrg"] == [["red dawn front", "red dawn", "rdf"]]
    assert g["Victim"] == [["juan perez"]]  # the name; the description is not a GTT role
    assert g["Target"] == [["power pylon"]]
    assert g["Weapon"] == [["dynamite"]]  # GTT checks a substring of the text: "DYNAMITED" has it


def test_a_string_absent_from_the_text_is_dropped():
    raw = [{"message.template": ["1"], "incident.type": ["ATTACK"], "hum_tgt.name": ['"ANA GOMEZ"', '"LUIS ROJAS"']}]
    gold = gtt_gold(raw, "GUNMEN SHOT ANA GOMEZ.")
    assert gold[0]["Victim"] == [["ana gomez"]]


def test_irrelevant_messages_have_no_gold_templates():
    assert gtt_gold([], "THE MINISTER SPOKE.") == []


def test_mapping_is_one_to_one_and_picks_the_best():
    gold = [tpl("attack", Victim=[["ana gomez"]]), tpl("bombing", Target=[["bridge"]], Weapon=[["dynamite"]])]
    # in this order a greedy alignment would give the first prediction to the first gold template
    pred = [tpl("attack", Victim=[["Ana Gomez"]]), tpl("attack", Victim=[["Ana Gomez"]])]
    got = gtt_score_doc(pred, gold)
    assert got["incident_type"] == (1, 2, 1, 2)
    assert got["Victim"] == (1, 2, 1, 1)  # the second prediction is spurious: it has no template left
    assert got["Target"] == (0, 0, 0, 1) and got["Weapon"] == (0, 0, 0, 1)


def test_types_must_agree_and_attack_fits_a_double_type():
    gold = [tpl("bombing / attack", PerpOrg=[["fmln"]])]
    assert gtt_score_doc([tpl("attack", PerpOrg=[["the FMLN"]])], gold)["PerpOrg"] == (1, 1, 1, 1)
    assert gtt_score_doc([tpl("kidnapping", PerpOrg=[["FMLN"]])], gold)["PerpOrg"] == (0, 1, 0, 1)


def test_an_entity_is_right_when_all_its_mentions_are_alternatives_of_one_gold_entity():
    gold = [tpl("attack", PerpOrg=[["farabundo marti national liberation front", "fmln"]])]
    assert gtt_score_doc([tpl(PerpOrg=[["FMLN", "Farabundo Marti National Liberation Front"]])], gold)[
        "PerpOrg"] == (1, 1, 1, 1)
    assert gtt_score_doc([tpl(PerpOrg=[["FMLN", "guerrillas"]])], gold)["PerpOrg"] == (0, 1, 0, 1)
    # a longer phrase is wrong, however close
    assert gtt_score_doc([tpl(PerpOrg=[["terrorists of the FMLN"]])], gold)["PerpOrg"] == (0, 1, 0, 1)


def test_no_prediction_counts_every_gold_entity_missing():
    gold = [tpl("attack", PerpInd=[["gunmen"]], Victim=[["ana gomez"]])]
    got = gtt_score_doc([], gold)
    assert got["incident_type"] == (0, 0, 0, 1) and got["PerpInd"] == (0, 0, 0, 1)


def test_micro_averages():
    docs = [gtt_score_doc([tpl("attack", PerpInd=[["gunmen"]], Victim=[["x"]])],
                          [tpl("attack", PerpInd=[["gunmen"]], Victim=[["y"]])])]
    m = gtt_metrics(docs)
    # type 1/1, PerpInd 1/1, Victim 0/1 on both sides: micro P = R = 2/3; roles alone 1/2
    assert m["micro_f1"] == pytest.approx(2 / 3)
    assert m["role_micro_f1"] == pytest.approx(1 / 2)
    assert m["gtt_victim_f1"] == 0.0 and m["gtt_perpind_f1"] == 1.0


def test_preds_file_is_gtt_format(tmp_path):
    outcomes = [{"gtt_id": "30001", "gtt_pred": [tpl("attack", PerpInd=[["gunmen"]])]}]
    path = muc4.write_gtt(outcomes, tmp_path / "preds.json")
    data = json.loads(path.read_text())
    assert data == {"30001": {"pred_templates": [tpl("attack", PerpInd=[["gunmen"]])]}}


@pytest.mark.parametrize(("name", "muc"), [
    ("armed attack", "ATTACK"), ("bombing", "BOMBING"), ("abduction", "KIDNAPPING"), ("arson", "ARSON"),
    ("Attack", "ATTACK"), ("Remote explosive/landmine/IED", "BOMBING"), ("Suicide bomb", "BOMBING"),
    ("Grenade", "BOMBING"), ("Air/drone strike", "ATTACK"), ("Shelling/artillery/missile attack", "ATTACK"),
    ("Abduction/forced disappearance", "KIDNAPPING"), ("Looting/property destruction", "ARSON"),
    ("armed clash", ""), ("Armed clash", ""), ("Peaceful protest", ""),
])
def test_one_type_table_for_both_vocabularies(name, muc):
    assert muc4.muc_type(name) == muc


def test_eval_writes_gtt_preds(tmp_path):
    from click.testing import CliRunner

    from tollbook.cli import main

    data = tmp_path / "dev.jsonl"
    text = ("LIMA, 2 MAR 90 -- [TEXT] URBAN TERRORISTS OF THE RED DAWN FRONT DYNAMITED TWO ELECTRIC PYLONS IN\n"
            "LIMA YESTERDAY.")
    gold = {"message.template": ["1"], "incident.type": ["BOMBING"], "perp.individual_id": ['"URBAN TERRORISTS"'],
            "perp.organization_id": ['"RED DAWN FRONT"'], "phys_tgt.id": ['"ELECTRIC PYLONS"'],
            "hum_tgt.name": ["-"], "incident.instrument_id": ["*"]}
    data.write_text(json.dumps({"id": "TST3-MUC4-0007", "text": text, "templates": [gold]}) + "\n")
    out = tmp_path / "preds.json"
    result = CliRunner().invoke(main, ["eval", "muc4", str(data), "--json", "--workers", "1", "--gtt-out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.splitlines()[0])
    assert 0.0 <= metrics["micro_f1"] <= 1.0 and "role_micro_f1" in metrics
    # the one message is in one half: that half's metrics are the file's, the other half is empty
    mine = muc4.half("TST3-MUC4-0007")
    other = "check" if mine == "tune" else "tune"
    assert metrics[f"{mine}_n"] == 1 and metrics[f"{other}_n"] == 0
    assert metrics[f"{mine}_micro_f1"] == metrics["micro_f1"]
    preds = json.loads(out.read_text())
    assert list(preds) == ["30007"]
    (template,) = preds["30007"]["pred_templates"]
    assert template["incident_type"] == "bombing"
    assert set(template) == {"incident_type", *muc4.GTT_ROLES}
    assert all(isinstance(e, list) and all(isinstance(m, str) for m in e) for r in muc4.GTT_ROLES
               for e in template[r])


def test_gtt_out_is_for_muc4_only(tmp_path):
    from click.testing import CliRunner

    from tollbook.cli import main

    result = CliRunner().invoke(main, ["eval", "gvdb", str(tmp_path), "--gtt-out", str(tmp_path / "p.json")])
    assert result.exit_code != 0 and "--gtt-out is for muc4 only" in result.output


def test_an_attack_with_explosives_is_a_bombing():
    from tollbook.records import Actor, Event, Evidence

    ev = Evidence("r1", 0, 4, "bomb")

    def event(kind, weapon):
        return Event(report_id="r1", type=kind, role="main", actors=[Actor("weapon", weapon, (ev,))])

    assert muc4.gtt_incident_type(event("armed attack", "car bomb")) == "bombing"
    assert muc4.gtt_incident_type(event("bombing", "mortars")) == "attack"
    assert muc4.gtt_incident_type(event("armed attack", "rifle")) == "attack"


def test_halves_are_stable_and_split_the_file():
    ids = [f"DEV-MUC3-{i:04d}" for i in range(1, 301)]
    halves = [muc4.half(i) for i in ids]
    assert halves == [muc4.half(i) for i in ids]  # from the id alone, the same in every run
    assert 100 < halves.count("tune") < 200


def test_aggregate_reports_each_half():
    def outcome(mid, matched):
        pred = [tpl("attack", PerpInd=[["gunmen"]])]
        gold = [tpl("attack", PerpInd=[["gunmen" if matched else "rebels"]])]
        return {"incidents": (0, 0, 0), "types": [], "dates": [], "killed": [], "places": (0, 0, 0),
                "orgs": (0, 0, 0), "victims": (0, 0, 0), "gtt": gtt_score_doc(pred, gold), "half": muc4.half(mid)}

    ids = [f"TST1-MUC3-{i:04d}" for i in range(1, 40)]
    tune = next(i for i in ids if muc4.half(i) == "tune")
    check = next(i for i in ids if muc4.half(i) == "check")
    m = muc4.aggregate([outcome(tune, True), outcome(check, False)])
    assert m["tune_micro_f1"] == 1.0 and m["check_micro_f1"] == pytest.approx(0.5)
    assert m["tune_n"] == m["check_n"] == 1 and m["n"] == 2
    assert m["micro_f1"] == pytest.approx(0.75)
