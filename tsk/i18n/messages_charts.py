"""Figures (tsk/figures.py) and maps (tsk/maps/).

Merged into tsk.i18n.MESSAGES; a key is defined in one module only."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- figures (tsk/figures.py) ---
    "fig_per_year": "per år",
    "fig_ratio_axis": "Kvot mot baslinjen (1 = oförändrat)",
    "fig_points_axis": "Poäng (summa av vägda komponenter)",
    # --- maps (tsk/maps/) ---
    "map_area": "Område",
    "map_n": "n",
    "map_no_data": "inga uppgifter",
    "map_suppressed_default": "för få svar för att visas",
    "map_schematic": "Schematiska gränser",
    "map_schematic_note": "schematisk gräns",
    "map_assumption_note": "antaget område",
    "map_note": "Obs",
    "map_selected": "Valt område",
    "map_places_layer": "Platser (rapporter)",
    "map_police_layer": "Polisens händelser",
    "map_areas_layer": "Områden",
    "map_whole_ort": "hela orten",
    "map_other_places": "övriga platser",
    "map_approximate": "ungefärligt läge",
    "map_report_one": "rapport",
    "map_report_many": "rapporter",
    "map_event_one": "händelse",
    "map_event_many": "händelser",
    "map_police_in": "Polisens händelser i {ort}",
    "map_legend_places": "Rapporter per plats (cirkelns yta ∝ antal)",
    "map_legend_approx": "Ungefärligt läge",
    "map_legend_police": "Polisens händelser per ort (antal)",
    "map_osm_attribution": "© OpenStreetMap-bidragsgivare",
}
