"""The demo generator's entry point: check the configuration, write every file and the manifest
(`python -m tsk.demo [--out DIR]`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from tsk.config import KommunConfig, load_config, setting_path
from tsk.demo.common import (
    IMPROVED_SPOT,
    RISING_SPOT,
    STREAM_SURVEY,
    STREAM_TRAFFPUNKT,
    Spot,
    _read_mapping,
    _rng,
)
from tsk.demo.files import _fixed_xlsx_bytes, write_manifest
from tsk.demo.lagesbild import (
    write_lagesbild_kommun,
    write_lagesbild_police,
    write_lagesbild_svenbo,
)
from tsk.demo.police import write_police_events
from tsk.demo.registers import demo_walks
from tsk.demo.reporters import (
    KOMMUN_REPORTERS,
    POLICE_REPORTERS,
    PROFILES,
    SVENBO_REPORTERS,
)
from tsk.demo.survey import (
    NETIGATE_YEARS,
    SURVEY_N,
    write_survey_google,
    write_survey_netigate,
)
from tsk.demo.traffpunkt import TP_AREA_N, write_traffpunkt
from tsk.geo import write_demo_areas


def check_config(config: KommunConfig) -> None:
    """The demo content names orter, platser and categories: fail early and clearly if the
    configuration lacks one (for example a second kommun's tsk.toml with the Svenljunga demo)."""
    orter = {o.name for o in config.orter}
    platser = {(p.ort, p.name) for p in config.platser}
    keys = {c.key for c in config.categories}
    missing = set()
    spots = [s for r in KOMMUN_REPORTERS + POLICE_REPORTERS + SVENBO_REPORTERS for s in r.spots]
    spots += [Spot(*RISING_SPOT, 1), Spot(*IMPROVED_SPOT, 1)]
    for spot in spots:
        if spot.ort not in orter:
            missing.add(f"ort {spot.ort}")
        elif spot.plats and (spot.ort, spot.plats) not in platser:
            missing.add(f"plats {spot.plats} ({spot.ort})")
    missing |= {f"kategori {k}" for profile in PROFILES.values() for k in profile if k not in keys}
    if missing:
        raise ValueError(f"{config.path}: the demo data needs " + ", ".join(sorted(missing)))


def _write_areas(path: Path, config: KommunConfig) -> None:
    """The schematic areas file, written by tsk.geo (imported here: it pulls in the geo stack)."""

    write_demo_areas(path, config)


def generate(out_dir: Path, config: KommunConfig | None = None) -> list[dict]:
    """Write every demo file and the manifest into `out_dir`; return the manifest entries (each with
    the number of data rows written under "rows", which the manifest itself leaves out)."""
    config = config or load_config()
    check_config(config)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ms_lagesbild, ms_lagesbild_rel = _read_mapping("lagesbild_msforms")
    standard, standard_rel = _read_mapping("lagesbild_standard")
    google, google_rel = _read_mapping("survey_google_forms")
    netigate, netigate_rel = _read_mapping("survey_netigate")
    tp, tp_rel = _read_mapping("traffpunkt_msforms")

    entries: list[dict] = []
    areas_file = "omraden.geojson"
    _write_areas(out_dir / areas_file, config)
    entries.append({"source": "areas", "file": areas_file, "name_field": "omrade"})

    def add(source, file, mapping_rel, rows):
        entries.append({"source": source, "file": file, "mapping": mapping_rel, "rows": rows})

    f = "lagesbild_kommun_msforms.xlsx"
    add("lagesbild", f, ms_lagesbild_rel, write_lagesbild_kommun(out_dir / f, config, ms_lagesbild))
    f = "lagesbild_polisen.csv"
    add("lagesbild", f, standard_rel, write_lagesbild_police(out_dir / f, config, standard))
    f = "lagesbild_svenbo.csv"
    add("lagesbild", f, standard_rel, write_lagesbild_svenbo(out_dir / f, config, standard))
    survey_rng = _rng(STREAM_SURVEY)
    for year in sorted(SURVEY_N):
        if year in NETIGATE_YEARS:
            f = f"trygghetsundersokning_{year}_netigate.xlsx"
            add("survey", f, netigate_rel, write_survey_netigate(out_dir / f, config, netigate, year, survey_rng))
        else:
            f = f"trygghetsundersokning_{year}_google_forms.csv"
            add("survey", f, google_rel, write_survey_google(out_dir / f, config, google, year, survey_rng))
    tp_rng = _rng(STREAM_TRAFFPUNKT)
    for year in sorted(TP_AREA_N):
        f = f"traffpunkt_{year}_msforms.xlsx"
        add("traffpunkt", f, tp_rel, write_traffpunkt(out_dir / f, config, tp, year, tp_rng))
    f = "polisen_handelser_demo.json"
    entries.append({"source": "police", "file": f, "rows": write_police_events(out_dir / f, config)})
    from tsk.registers.protocol import protocol_xlsx

    for f, walk, obs, measures in demo_walks(config):
        (out_dir / f).write_bytes(_fixed_xlsx_bytes(protocol_xlsx(walk, obs, measures, config)))
        entries.append({"source": "vandring", "file": f, "rows": 1})
    write_manifest(out_dir / "manifest.toml", entries)
    return entries


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tsk.demo_data",
                                description="Skriv demofilerna (exportfiler) för TSK-dashboard.")
    p.add_argument("--out", type=Path, default=None, help="Katalog (standard: data/demo eller TSK_DEMO_DIR).")
    args = p.parse_args(argv)
    out = args.out or setting_path("demo_dir")
    for e in generate(out):
        print(f"{e['file']}: {e.get('rows', '-')} rader")
    return 0
