"""The TSK årshjul (the routine's calendar: tsk.pagedata.arshjul): its configuration errors, states,
table, sentences and the iCalendar export.

Merged into tsk.i18n.MESSAGES; a key is defined in one module only."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- configuration ([[arshjul]] in tsk.toml) ---
    "config_arshjul_no_key": "Konfigurationsfilen {path}: en punkt i [[arshjul]] («{label}») saknar key.",
    "config_arshjul_bad_month": "Konfigurationsfilen {path}: årshjulets punkt «{key}» har månaden «{value}». Ange month = 1–12 (eller months = [ … ]).",
    "config_arshjul_unknown_kind": "Konfigurationsfilen {path}: årshjulets punkt «{key}» har kind = «{kind}», som inte finns. Välj en av: {kinds}.",
    "config_arshjul_no_area": "Konfigurationsfilen {path}: årshjulets punkt «{key}» är en Träffpunktsomgång och behöver area = ett av områdena under [[areas]].",
    "config_arshjul_unknown_area": "Konfigurationsfilen {path}: årshjulets punkt «{key}» gäller området «{area}», som inte finns under [[areas]] ({areas}).",
    "config_arshjul_no_centralort": "Konfigurationsfilen {path}: årshjulets punkt «{key}» gäller trygghetsvandringen i centralorten, men inget område under [[areas]] har kind = \"centralort\".",
    "config_arshjul_no_start_year": "Konfigurationsfilen {path}: årshjulets punkt «{key}» hålls vart n:e år (interval_years) och behöver start_year = ett år då den hålls.",
    "config_arshjul_key_twice": "Konfigurationsfilen {path}: årshjulets punkt «{key}» finns två gånger i [[arshjul]].",
    # --- states ---
    "aj_state_done": "genomförd",
    "aj_state_planned": "planerad",
    "aj_state_coming": "kommande",
    "aj_state_overdue": "försenad",
    "aj_state_unknown": "okänd",
    # --- evidence, one per kind ---
    "aj_ev_survey": "Enkäten {year} är inläst ({n} svar, {first}–{last}).",
    "aj_ev_survey_no_dates": "Enkäten {year} är inläst ({n} svar).",
    "aj_ev_traffpunkt": "Träffpunktsomgång {round}: {n} svar från {area} ({first}–{last}).",
    "aj_ev_walk_done": "Trygghetsvandring i {ort} genomförd {date}.",
    "aj_ev_walk_planned": "Trygghetsvandring i {ort} planerad till {date}.",
    "aj_ev_walk_planned_passed": "Trygghetsvandringen i {ort} var planerad till {date} men är inte registrerad som genomförd.",
    "aj_ev_meeting": "Analysgruppens möte {date} är registrerat.",
    "aj_ev_none_survey": "Ingen enkät för {year} är inläst.",
    "aj_ev_none_traffpunkt": "Ingen Träffpunktsomgång {year} för {area} är inläst.",
    "aj_ev_none_walk": "Ingen trygghetsvandring i centralorten ({ort}) är registrerad för {year}.",
    "aj_ev_none_meeting": "Inget möte i analysgruppen är registrerat i {month}.",
    "aj_ev_report": "Finns inte i databasen: följs upp för hand.",
    # --- the table (Översikt, Analysgrupp, the report) ---
    "aj_heading": "Årshjul {year}",
    "aj_intro": "Rutinens återkommande punkter med månad och ansvarig. Läget räknas fram ur databasen per {today}.",
    "aj_col_month": "Månad",
    "aj_col_item": "Punkt",
    "aj_col_role": "Ansvarig",
    "aj_col_state": "Läge",
    "aj_col_evidence": "Underlag",
    "aj_none": "Inget årshjul är inställt: lägg till [[arshjul]] i konfigurationsfilen.",
    "aj_summary": "Årshjulet {year}: {parts}.",
    "aj_summary_part": "{n} {state}",
    "aj_no_walk_centralort": "Ingen trygghetsvandring i centralorten {year}.",
    "aj_overdue_list": "Försenat i årshjulet: {items}.",
    "aj_ics_download": "Kalenderfil (.ics) med kommande datum",
    "aj_ics_help": "Öppnas i Outlook, Google Kalender m.fl. Punkter utan eget datum läggs på månadens första dag.",
    "aj_ics_none": "Inga kommande datum i årshjulet.",
    "aj_ics_description": "Ansvarig: {role}. Månad: {month}.",
    "aj_ics_calname": "TSK-årshjul {kommun}",
    "aj_ics_summary": "TSK: {label}",
    "aj_agenda_heading": "Årshjulet: försenat och närmast på tur",
    "aj_agenda_next": "Närmast på tur: {items}.",
    "at_arshjul": "Årshjul",
    # --- the report ---
    "rp_h_arshjul": "Årshjulet {year}",
    "rp_aj_intro": "Rutinens punkter för {year} och deras läge enligt databasen per {today}. «Okänd» betyder att punkten inte registreras i databasen och följs upp för hand.",
    "rp_tbl_arshjul": "Årshjulet {year}",
    "rp_sheet_arshjul": "Årshjul",
}
