"""tsk.registers (the walk register): validation (one rule per test, exact Swedish message), redaction, the store round trip,
the protocol workbook (round trip, formula injection, rejected files), the public summary, and the
`vandring` importer's batch."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tsk.errors import FileRejected, TskError
from tsk.gazetteer import Gazetteer
from tsk.importers import vandring as vandring_importer
from tsk.importers.base import ImportContext
from tsk.registers.protocol import parse_protocol_xlsx, protocol_xlsx
from tsk.registers.summary import public_summary
from tsk.registers.validation import validate
from tsk.registers.walks import (
    Measure,
    Observation,
    Walk,
    from_store_rows,
    redact_all,
    to_store_rows,
)
from tsk.store import open_store

TODAY = date(2026, 12, 1)
ELMO = "GC-banan och tunneln vid Elmo"
PHONE = re.compile(r"\d{2,4}[- ]?\d{2,3}[ ]?\d{2}[ ]?\d{2}")


def make_walk(**changes) -> Walk:
    walk = Walk(
        ort="Svenljunga",
        area="Svenljunga tätort",
        walk_date=date(2026, 11, 10),
        status="genomförd",
        route=["Torget", "Busstationen", ELMO],
        participants={"kommun": 4, "polis": 2, "svenbo": 1, "boende": 6, "politiker": 2},
        followup_date=date(2027, 1, 19),
        followup_notes="Minnesanteckningar: Anna Berg, tel 070-123 45 67.",
    )
    return replace(walk, **changes)


def make_observations() -> list[Observation]:
    return [
        Observation(1, "Torget", "Mörkt runt busskuren, lamporna är trasiga.", ["belysning"]),
        Observation(2, "Busstationen", "Buskage skymmer sikten mot perrongen.", ["vegetation", "skotsel"]),
        Observation(3, ELMO, "Tunneln känns instängd, klotter på väggarna.", ["gomstallen", "skadegorelse"]),
        Observation(4, None, "Få människor i rörelse efter klockan 20.", ["folkliv"]),
    ]


def make_measures() -> list[Measure]:
    return [
        Measure(ort="Svenljunga", place="Torget", description="Byta till LED-belysning vid busskuren",
                owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2027, 3, 31),
                status="beslutad"),
        Measure(ort="Svenljunga", place="Busstationen", description="Klippa buskaget vid perrongen", owner="Svenbo",
                decision_path="KLG", due_date=date(2026, 12, 15), status="klar", completed_date=date(2026, 11, 28)),
        Measure(ort="Svenljunga", place=ELMO, description="Ny belysning och en spegel i tunneln", owner="Trafikverket",
                decision_path="KS", due_date=date(2027, 6, 30), status="föreslagen"),
        Measure(ort="Svenljunga", place=None, description="Kameraövervakning av tunneln", owner="Polisen",
                decision_path="KS", status="avslagen"),
    ]


def check(config, walk=None, observations=None, measures=None):
    validate(walk or make_walk(), make_observations() if observations is None else observations,
             make_measures() if measures is None else measures, config, today=TODAY)


def with_obs(i, **changes):
    obs = make_observations()
    obs[i] = replace(obs[i], **changes)
    return obs


def with_measure(i, **changes):
    measures = make_measures()
    measures[i] = replace(measures[i], **changes)
    return measures


# --- validation: one rule per case ---------------------------------------------------------------------

CHECKLIST = ("belysning (Belysning), vegetation (Vegetation / skymd sikt), gomstallen (Gömställen / tunnlar), "
             "nedskrapning (Nedskräpning), skadegorelse (Skadegörelse / klotter), skotsel (Skötsel), "
             "tillganglighet (Tillgänglighet), trafik (Trafik), folkliv (Folkliv / ödslighet)")
OWNERS = ("Kommunstyrelseförvaltningen, Samhällsbyggnadsförvaltningen, Barn- och utbildningsförvaltningen, "
          "Socialförvaltningen, Kultur och fritid, Svenbo, Polisen, Trafikverket")

RULES = [
    ("unknown_ort", dict(walk=make_walk(ort="Svenljunda")),
     "Orten «Svenljunda» finns inte i ortregistret. Förslag: Svenljunga, Holsljunga."),
    ("ort_alias_not_canonical", dict(walk=make_walk(ort="Svenljunga tätort")),
     "Orten «Svenljunga tätort» finns inte i ortregistret. Förslag: Svenljunga."),
    ("area_mismatch", dict(walk=make_walk(area="Högvad")),
     "Orten Svenljunga ligger i området Svenljunga tätort, inte i «Högvad»."),
    ("unknown_walk_status", dict(walk=make_walk(status="utförd")),
     "Vandringens status «utförd» finns inte. Välj en av: planerad, genomförd, inställd."),
    ("done_walk_in_future", dict(walk=make_walk(walk_date=date(2026, 12, 5))),
     "Vandringen är markerad som genomförd, men datumet 2026-12-05 har inte varit än. "
     "Välj status planerad eller rätta datumet."),
    ("followup_before_walk", dict(walk=make_walk(followup_date=date(2026, 11, 1))),
     "Uppföljningsmötet (2026-11-01) kan inte vara före vandringen (2026-11-10)."),
    ("route_place_of_another_ort", dict(walk=make_walk(route=["Torget", "Badplatsen"])),
     "Platsen «Badplatsen» i rutten finns inte i ortregistret för Svenljunga."),
    ("route_place_alias", dict(walk=make_walk(route=["Torget", "Elmotunneln"])),
     "Platsen «Elmotunneln» i rutten finns inte i ortregistret för Svenljunga. "
     "Förslag: GC-banan och tunneln vid Elmo."),
    ("unknown_role", dict(walk=make_walk(participants={"kommun": 2, "brandkaren": 2})),
     "Deltagarrollen «brandkaren» finns inte. Roller: kommun, polis, svenbo, boende, foreningar, politiker."),
    ("negative_count", dict(walk=make_walk(participants={"kommun": 2, "boende": -1})),
     "Antalet deltagare för Boende måste vara ett heltal, 0 eller fler (angivet: -1)."),
    ("too_many_participants", dict(walk=make_walk(participants={"kommun": 6, "boende": 15})),
     "Vandringen har 21 deltagare. En trygghetsvandring har högst 20 deltagare; "
     "dela upp gruppen på flera vandringar."),
    ("duplicate_obs_no", dict(observations=with_obs(1, obs_no=1)),
     "Observationsnumret «1» är ogiltigt: varje observation behöver ett eget nummer, 1 eller högre."),
    ("obs_place_unknown", dict(observations=with_obs(1, place="Resecentrum")),
     "Observation 2: platsen «Resecentrum» finns inte i ortregistret för Svenljunga. Förslag: Busstationen."),
    ("empty_problem", dict(observations=with_obs(0, problem="   ")),
     "Observation 1 saknar beskrivning av problemet."),
    ("unknown_cause", dict(observations=with_obs(0, causes=["belysning", "mörker"])),
     f"Observation 1: orsaken «mörker» finns inte i checklistan. Orsaker: {CHECKLIST}."),
    ("measure_origin", dict(measures=with_measure(0, origin="traffpunkt")),
     "Åtgärd 1 har ursprunget «traffpunkt», men åtgärder från en vandring har ursprunget «trygghetsvandring»."),
    ("measure_other_ort", dict(measures=with_measure(2, ort="Överlida")),
     "Åtgärd 3 gäller orten «Överlida», men vandringen gick i Svenljunga."),
    ("measure_place_unknown", dict(measures=with_measure(0, place="Torgett")),
     "Åtgärd 1: platsen «Torgett» finns inte i ortregistret för Svenljunga. Förslag: Torget."),
    ("empty_description", dict(measures=with_measure(1, description="")),
     "Åtgärd 2 saknar beskrivning av vad som ska göras."),
    ("unknown_owner", dict(measures=with_measure(0, owner="Tekniska kontoret")),
     f"Åtgärd 1: «Tekniska kontoret» finns inte bland de ansvariga. Välj en av: {OWNERS}."),
    ("unknown_decision_path", dict(measures=with_measure(0, decision_path="KF")),
     "Åtgärd 1: beslutsvägen «KF» finns inte. Välj en av: KLG, KS."),
    ("unknown_measure_status", dict(measures=with_measure(0, status="klart")),
     "Åtgärd 1: statusen «klart» finns inte. Välj en av: föreslagen, beslutad, pågår, klar, avslagen."),
    ("done_without_date", dict(measures=with_measure(1, completed_date=None)),
     "Åtgärd 2 har status klar men saknar datum för när den blev klar."),
    ("date_without_done", dict(measures=with_measure(0, completed_date=date(2026, 11, 20))),
     "Åtgärd 1 har ett klart-datum (2026-11-20) men status «beslutad». Sätt status klar eller ta bort datumet."),
    ("completed_before_walk", dict(measures=with_measure(1, completed_date=date(2026, 11, 1))),
     "Åtgärd 2 blev klar 2026-11-01, före vandringen 2026-11-10. Rätta datumet."),
]


def test_the_example_walk_is_valid(config):
    check(config)


@pytest.mark.parametrize("name,args,message", RULES, ids=[r[0] for r in RULES])
def test_each_rule_refuses_with_its_exact_message(config, name, args, message):
    with pytest.raises(TskError) as err:
        check(config, **args)
    assert err.value.message == message


def test_a_planned_walk_may_lie_in_the_future_and_exactly_twenty_may_walk(config):
    check(config, walk=make_walk(status="planerad", walk_date=date(2027, 4, 1), followup_date=None,
                                 participants={"kommun": 5, "boende": 15}), observations=[], measures=[])


# --- redaction ----------------------------------------------------------------------------------------

def test_redaction_removes_phone_numbers_and_names_from_problem_description_and_notes():
    walk, obs, measures = redact_all(
        make_walk(), [Observation(1, "Torget", "Ring Kalle på 070-123 45 67 om lamporna", ["belysning"])],
        [replace(make_measures()[0], description="Kontakt: gata@svenljunga.se, 0325-180 00")],
    )
    assert obs[0].problem == "Ring [namn borttaget] på [telefonnummer borttaget] om lamporna"
    assert measures[0].description == "Kontakt: [e-post borttagen], [telefonnummer borttaget]"
    assert walk.followup_notes == "Minnesanteckningar: [namn borttaget], tel [telefonnummer borttaget]."
    assert obs[0].causes == ["belysning"] and walk.route == make_walk().route


# --- the register: objects -> store -> objects ------------------------------------------------------------

def test_register_round_trip_through_the_store(config, tmp_db):
    walk, obs, measures = make_walk(), make_observations(), make_measures()
    with open_store(tmp_db, config=config) as store:
        walk_id = store.save_walk(*to_store_rows(walk, obs, measures))
        back_walk, back_obs, back_measures = from_store_rows(*store.walk(walk_id))
        assert (back_walk, back_obs, back_measures) == (walk, obs, measures)
        assert back_walk.walk_id == walk_id
        assert [m.measure_id for m in back_measures] == [1, 2, 3, 4]
        assert isinstance(back_walk.walk_date, date) and back_obs[3].place is None
        # Saved again with its ids: the same rows are updated, no new walk or measure appears.
        edited = [replace(back_measures[0], status="pågår"), *back_measures[1:]]
        assert store.save_walk(*to_store_rows(back_walk, back_obs, edited)) == walk_id
        again = from_store_rows(*store.walk(walk_id))
        assert [m.measure_id for m in again[2]] == [1, 2, 3, 4] and again[2][0].status == "pågår"
        assert store.counts()["walks"] == 1 and store.counts()["measures"] == 4
        # JSON keeps Swedish letters readable.
        assert '"GC-banan och tunneln vid Elmo"' in store.walks().iloc[0]["route"]


def test_store_rows_match_save_walk_columns():
    walk_row, obs, measures = to_store_rows(make_walk(), make_observations(), make_measures())
    assert list(walk_row) == ["walk_id", "ort", "area", "walk_date", "status", "route", "participants",
                              "followup_date", "followup_notes", "import_id"]
    assert list(obs.columns) == ["obs_no", "place", "problem", "causes"]
    assert list(measures.columns) == ["measure_id", "origin", "ort", "place", "description", "owner",
                                      "decision_path", "due_date", "status", "completed_date"]
    assert obs.iloc[1]["causes"] == '["vegetation", "skotsel"]'
    assert walk_row["participants"] == '{"kommun": 4, "polis": 2, "svenbo": 1, "boende": 6, "politiker": 2}'


# --- the protocol workbook --------------------------------------------------------------------------------

def test_protocol_round_trip(config):
    walk, obs, measures = make_walk(walk_id=7, import_id=3, participants={"kommun": 4, "polis": 0}), \
        make_observations(), make_measures()
    data = protocol_xlsx(walk, obs, measures, config)
    back = parse_protocol_xlsx(data, config)
    assert back == (walk, obs, measures)
    assert back[0].walk_id is None and back[0].import_id is None  # ids are not in the file
    assert back[0].participants == {"kommun": 4, "polis": 0}


def test_protocol_layout_has_swedish_headers_and_excel_dates(config):
    wb = load_workbook(io.BytesIO(protocol_xlsx(make_walk(), make_observations(), make_measures(), config)))
    assert wb.sheetnames == ["Vandring", "Observationer", "Åtgärder"]
    fields = {r[0]: r[1] for r in wb["Vandring"].iter_rows(min_row=2, values_only=True)}
    assert list(fields) == ["Ort", "Område", "Datum", "Status", "Rutt", "Deltagare: Kommunens tjänstepersoner",
                            "Deltagare: Polisen", "Deltagare: Svenbo", "Deltagare: Boende",
                            "Deltagare: Föreningar och näringsliv", "Deltagare: Politiker", "Uppföljningsmöte",
                            "Anteckningar"]
    assert fields["Rutt"] == "Torget → Busstationen → GC-banan och tunneln vid Elmo"
    assert fields["Deltagare: Föreningar och näringsliv"] is None and fields["Deltagare: Polisen"] == 2
    assert wb["Vandring"]["B4"].is_date and wb["Vandring"]["B4"].value.date() == date(2026, 11, 10)
    obs_header = [c.value for c in wb["Observationer"][1]]
    assert obs_header == ["Nr", "Plats", "Problem", "Belysning", "Vegetation / skymd sikt", "Gömställen / tunnlar",
                          "Nedskräpning", "Skadegörelse / klotter", "Skötsel", "Tillgänglighet", "Trafik",
                          "Folkliv / ödslighet"]
    assert [c.value for c in wb["Observationer"][3]][:6] == [2, "Busstationen", "Buskage skymmer sikten mot perrongen.",
                                                               None, "x", None]
    assert [c.value for c in wb["Åtgärder"][1]] == ["Nr", "Plats", "Åtgärd", "Ansvarig", "Beslutsväg",
                                                    "Klart senast", "Status", "Klart datum"]
    assert wb["Åtgärder"]["F2"].is_date and wb["Åtgärder"]["H3"].is_date


DANGEROUS = ['=HYPERLINK("http://evil.example","Klicka")', "+46 ring mig", "-2+3", "@SUM(1+1)",
             "'=redan citerad", "'vanligt citat'"]


def test_formula_injection_is_neutralised_and_the_text_comes_back_exactly(config):
    obs = [Observation(i, "Torget", text, []) for i, text in enumerate(DANGEROUS, start=1)]
    measures = [replace(make_measures()[0], description=text) for text in DANGEROUS]
    walk = make_walk(followup_notes="=1+1")
    data = protocol_xlsx(walk, obs, measures, config)
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate)
    assert wb["Observationer"]["C2"].value == "'" + DANGEROUS[0]
    assert parse_protocol_xlsx(data, config) == (walk, obs, measures)


def test_a_hand_filled_protocol_is_read_in_configured_spelling(config):
    wb = load_workbook(io.BytesIO(protocol_xlsx(make_walk(), [], [], config)))
    ws = wb["Vandring"]
    ws["B2"], ws["B5"], ws["B6"] = "svenljunga centrum", "Genomförd", "Stortorget; Resecentrum"
    obs = wb["Observationer"]
    obs.append([1, "stortorget", "Mörkt", "X", None, None, None, None, None, None, None, None])
    meas = wb["Åtgärder"]
    meas.append([1, "Torget", "Ny belysning", "svenbo", "klg", "2027-03-31", "Beslutad", None])
    buf = io.BytesIO()
    wb.save(buf)
    walk, observations, measures = parse_protocol_xlsx(buf.getvalue(), config)
    assert (walk.ort, walk.status, walk.route) == ("Svenljunga", "genomförd", ["Torget", "Busstationen"])
    assert observations == [Observation(1, "Torget", "Mörkt", ["belysning"])]
    assert measures == [Measure(ort="Svenljunga", place="Torget", description="Ny belysning", owner="Svenbo",
                                decision_path="KLG", due_date=date(2027, 3, 31), status="beslutad")]


def _edited_protocol(config, edit) -> bytes:
    wb = load_workbook(io.BytesIO(protocol_xlsx(make_walk(), make_observations(), make_measures(), config)))
    edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _other_workbook() -> bytes:
    wb = Workbook()
    wb.active.title = "Blad1"
    wb.active.append(["Namn", "Adress"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _set(sheet, coordinate, value):
    def edit(wb):
        wb[sheet][coordinate] = value
    return edit


REJECTED = [
    ("random_bytes", lambda config: bytes(range(256)) * 8,
     "Filen kunde inte öppnas som Excelfil (.xlsx) och är inget vandringsprotokoll."),
    ("other_workbook", lambda config: _other_workbook(),
     "Filen är inget vandringsprotokoll: bladen «Vandring», «Observationer», «Åtgärder» saknas. "
     "Filens blad: «Blad1»."),
    ("missing_header", lambda config: _edited_protocol(config, _set("Observationer", "C1", "Beskrivning")),
     "Filen är inget vandringsprotokoll: bladet «Observationer» saknar kolumnerna «Problem». Bladets kolumner: "
     "«Nr», «Plats», «Beskrivning», «Belysning», «Vegetation / skymd sikt», «Gömställen / tunnlar», "
     "«Nedskräpning», «Skadegörelse / klotter», «Skötsel», «Tillgänglighet», «Trafik», «Folkliv / ödslighet»."),
    ("missing_field", lambda config: _edited_protocol(config, lambda wb: wb["Vandring"].delete_rows(4)),
     "Filen är inget vandringsprotokoll: bladet «Vandring» saknar raderna «Datum»."),
]


@pytest.mark.parametrize("name,make,message", REJECTED, ids=[r[0] for r in REJECTED])
def test_a_file_that_is_not_a_protocol_is_rejected(config, name, make, message):
    with pytest.raises(FileRejected) as err:
        parse_protocol_xlsx(make(config), config)
    assert err.value.message == message


BAD_VALUES = [
    ("bad_date", _set("Vandring", "B4", "32/13/2026"),
     "Bladet «Vandring», rad 4, «Datum»: «32/13/2026» är inget datum (t.ex. «2026-11-24» eller «24/11/2026»)."),
    ("bad_count", _set("Vandring", "B8", "två"),
     "Bladet «Vandring», rad 8: «Deltagare: Polisen» ska vara ett heltal, inte «två»."),
    ("unknown_field", _set("Vandring", "A7", "Väder"),
     "Bladet «Vandring», rad 7: fältet «Väder» är okänt. Kända fält: «Ort», «Område», «Datum», «Status», «Rutt», "
     "«Uppföljningsmöte», «Anteckningar», «Deltagare: Kommunens tjänstepersoner», «Deltagare: Polisen», "
     "«Deltagare: Svenbo», «Deltagare: Boende», «Deltagare: Föreningar och näringsliv», «Deltagare: Politiker»."),
    ("unknown_cause_column", _set("Observationer", "M1", "Buller"),
     "Bladet «Observationer»: kolumnen «Buller» hör inte till ett vandringsprotokoll. Kända kolumner: «Nr», "
     "«Plats», «Problem», «Belysning», «Vegetation / skymd sikt», «Gömställen / tunnlar», «Nedskräpning», "
     "«Skadegörelse / klotter», «Skötsel», «Tillgänglighet», «Trafik», «Folkliv / ödslighet»."),
    ("bad_mark", _set("Observationer", "D2", "ja"),
     "Bladet «Observationer», rad 2: markera orsaken «Belysning» med x (cellen innehåller «ja»)."),
    ("missing_owner", _set("Åtgärder", "D3", None),
     "Bladet «Åtgärder», rad 3: «Ansvarig» saknas."),
]


@pytest.mark.parametrize("name,edit,message", BAD_VALUES, ids=[r[0] for r in BAD_VALUES])
def test_a_value_that_cannot_be_read_names_sheet_row_and_field(config, name, edit, message):
    with pytest.raises(TskError) as err:
        parse_protocol_xlsx(_edited_protocol(config, edit), config)
    assert err.value.message == message


# --- public summary -------------------------------------------------------------------------------------

def test_public_summary_tells_what_was_found_and_what_is_done_without_personal_data(config):
    obs = make_observations()
    obs[0] = replace(obs[0], problem="Mörkt runt busskuren, ring Kalle på 070-123 45 67 eller kalle@example.se.")
    text = public_summary(make_walk(), obs, make_measures(), config)
    assert text.startswith("# Trygghetsvandring i Svenljunga, november 2026\n")
    for place in ("**Torget**", "**Busstationen**", f"**{ELMO}**", "**Svenljunga i stort**"):
        assert place in text
    assert "- Vegetation / skymd sikt, Skötsel: Buskage skymmer sikten mot perrongen." in text
    assert "- Gömställen / tunnlar, Skadegörelse / klotter: Tunneln känns instängd, klotter på väggarna." in text
    assert ("## Det här ska göras\n\n- **Torget:** Byta till LED-belysning vid busskuren. Ansvarig: "
            "Samhällsbyggnadsförvaltningen, klart senast mars 2027 (status: beslutad).") in text
    assert ("- **GC-banan och tunneln vid Elmo:** Ny belysning och en spegel i tunneln. Ansvarig: Trafikverket, "
            "klart senast juni 2027 (status: föreslagen).") in text
    assert ("## Det här är gjort\n\n- **Busstationen:** Klippa buskaget vid perrongen. Ansvarig: Svenbo, "
            "klart i november 2026.") in text
    assert "## Förslag som inte blir av\n\n- **Svenljunga i stort:** Kameraövervakning av tunneln." in text
    assert ("Med på vandringen var 15 personer: Kommunens tjänstepersoner 4, Polisen 2, Svenbo 1, Boende 6, "
            "Politiker 2.") in text
    assert "Uppföljningsmöte: januari 2027." in text
    # No phone numbers, e-mail addresses, names from the notes, or exact dates.
    assert not PHONE.search(text) and "@" not in text
    assert "Kalle" not in text and "namn borttaget" in text  # a name inside a problem text is redacted
    assert "Anna Berg" not in text and "Minnesanteckningar" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_public_summary_escapes_markdown_in_free_text(config):
    obs = [Observation(1, "Torget", "Se [länk](http://x) och <b>fet</b> *text*", [])]
    text = public_summary(make_walk(), obs, [], config)
    assert r"- Se \[länk\](http://x) och \<b\>fet\</b\> \*text\*" in text


# --- the vandring importer ---------------------------------------------------------------------------------

def _ctx(config, name) -> ImportContext:
    return ImportContext(config=config, gazetteer=Gazetteer(config), file_name=name)


def test_importer_returns_one_walk_without_store_ids_and_redacted(config, tmp_path):
    obs = make_observations()
    obs[0] = replace(obs[0], problem="Ring 070-123 45 67")
    path = tmp_path / "protokoll.xlsx"
    path.write_bytes(protocol_xlsx(make_walk(), obs, make_measures(), config))
    batch = vandring_importer.parse(path, _ctx(config, path.name))
    assert batch.accepted == 1 and batch.quarantine == []
    assert set(batch.tables) == {"walks", "walk_observations", "measures"}
    walks = batch.tables["walks"]
    assert list(walks.columns) == ["ort", "area", "walk_date", "status", "route", "participants", "followup_date",
                                   "followup_notes"]
    assert walks.iloc[0]["followup_notes"] == "Minnesanteckningar: [namn borttaget], tel [telefonnummer borttaget]."
    assert list(batch.tables["walk_observations"].columns) == ["obs_no", "place", "problem", "causes"]
    assert batch.tables["walk_observations"].iloc[0]["problem"] == "Ring [telefonnummer borttaget]"
    assert list(batch.tables["measures"].columns) == ["origin", "ort", "place", "description", "owner",
                                                      "decision_path", "due_date", "status", "completed_date"]
    assert len(batch.tables["measures"]) == 4
    assert batch.notes == ["Vandring i Svenljunga 2026-11-10: 4 observationer, 4 åtgärder."]


def test_importer_rejects_an_invalid_walk_as_a_whole_file(config, tmp_path):
    path = tmp_path / "protokoll.xlsx"
    path.write_bytes(protocol_xlsx(make_walk(participants={"boende": 25}), [], [], config))
    with pytest.raises(FileRejected) as err:
        vandring_importer.parse(path, _ctx(config, path.name))
    assert err.value.message == ("Vandringen har 25 deltagare. En trygghetsvandring har högst 20 deltagare; "
                                 "dela upp gruppen på flera vandringar.")


def test_register_round_trip_form_store_export_import(config, tmp_path):
    """What the form builds is saved; its exported protocol, imported into another database through
    the CLI's importer, gives the same walk (ids aside)."""
    from tsk.ingest.run import run_import
    from tsk.registers.protocol import protocol_xlsx
    from tsk.registers.validation import validate
    from tsk.registers.walks import from_store_rows, redact_all, to_store_rows
    from tsk.store import open_store as _open

    walk = Walk(ort="Svenljunga", area="Svenljunga tätort", walk_date=date(2026, 9, 2), status="genomförd",
                route=["Torget", "Busstationen"], participants={"kommun": 3, "polis": 1, "boende": 5},
                followup_date=date(2026, 10, 1), followup_notes="Återbesök i vår.")
    obs = [Observation(1, "Busstationen", "Trasig belysning vid väderskyddet.", ["belysning"]),
           Observation(2, None, "Mopeder på gångvägarna.", ["trafik"])]
    measures = [Measure(ort="Svenljunga", place="Busstationen", description="Byt armaturer.",
                        owner="Samhällsbyggnadsförvaltningen", decision_path="KLG", due_date=date(2026, 12, 1),
                        status="beslutad")]
    validate(walk, obs, measures, config, today=date(2026, 11, 24))
    walk, obs, measures = redact_all(walk, obs, measures)
    with _open(tmp_path / "a.duckdb", config=config) as store:
        walk_id = store.save_walk(*to_store_rows(walk, obs, measures))
        saved = from_store_rows(*store.walk(walk_id))
    protocol = tmp_path / "protokoll.xlsx"
    protocol.write_bytes(protocol_xlsx(*saved, config))
    outcome = run_import("vandring", protocol, db=tmp_path / "b.duckdb", config=config)
    assert outcome.accepted == 1
    with _open(tmp_path / "b.duckdb", config=config) as store:
        (imported_id,) = store.walks()["walk_id"]
        imported = from_store_rows(*store.walk(int(imported_id)))
    assert imported == saved


# --- editing a walk in the register (the Trygghetsvandring page) -----------------------------------------

def test_a_registered_walk_is_edited_in_place_keeping_its_id_and_measure_ids(demo_copy, monkeypatch):

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tsk.config import ROOT

    db = demo_copy
    monkeypatch.setenv("TSK_DB", str(db))
    with open_store(db, read_only=True) as store:
        register = store.walks()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/vandring.py")
    at.run()
    chosen = int(at.selectbox(key="vr_choose").value)
    assert all(" 00:00" not in o for o in at.selectbox(key="vr_choose").options)  # dates, not midnight timestamps
    with open_store(db, read_only=True) as store:
        walk, obs, measures = from_store_rows(*store.walk(walk_id=chosen))
    prefix = f"ve{chosen}"
    # The form starts from the registered walk.
    assert at.date_input(key=f"{prefix}_date").value == walk.walk_date
    assert at.selectbox(key=f"{prefix}_status").value == walk.status
    assert at.multiselect(key=f"{prefix}_route").value == walk.route
    at.text_area(key=f"{prefix}_notes").set_value("Uppföljning med Kalle, ring 070-123 45 67.")
    at.button(key=f"{prefix}_save").click()
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    with open_store(db, read_only=True) as store:
        after = store.walks()
        walk2, obs2, measures2 = from_store_rows(*store.walk(walk_id=chosen))
    assert len(after) == len(register)                      # replaced, not added
    assert walk2.followup_notes == "Uppföljning med [namn borttaget], ring [telefonnummer borttaget]."
    assert replace(walk2, followup_notes=walk.followup_notes) == walk and obs2 == obs and measures2 == measures
    assert [m.measure_id for m in measures2] == [m.measure_id for m in measures]
