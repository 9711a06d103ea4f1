"""Every user-facing string, Swedish first. `t(key, **params)` renders one.

Keys are grouped by where they appear. A test checks that every key used in code exists here.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- configuration ---
    "config_unreadable": "Konfigurationsfilen {path} kunde inte läsas: {detail}",
    "config_missing_key": "Konfigurationsfilen {path} saknar uppgiften «{key}».",
    "config_unknown_area": "Konfigurationsfilen {path}: orten «{ort}» hör till området «{area}», som inte finns under [[areas]].",
    "config_unknown_ort": "Konfigurationsfilen {path}: platsen «{plats}» ligger i orten «{ort}», som inte finns under [[orter]].",
    # --- database ---
    "db_missing": "Databasen {path} finns inte. Bygg den med «python -m tsk demo» eller importera en fil.",
    "db_unavailable": "Databasen {path} kunde inte öppnas (används den av en annan import?): {detail}",
    "db_broken": "Databasen {path} kunde inte öppnas: {detail}",
    "db_newer_schema": "Databasen {path} har schemaversion {version}, men den här versionen av TSK-dashboard kan bara version {supported}. Uppdatera programmet.",
    # --- whole-file problems (exit 2, nothing changed) ---
    "unknown_source": "Okänd källa «{source}». Välj en av: {sources}.",
    "file_missing": "Filen {path} finns inte.",
    "file_unreadable": "Filen kunde inte läsas: {detail}.",
    "file_empty": "Filen är tom: den innehåller inga rader att importera.",
    "file_not_text": "Filen kunde inte läsas: den är varken en CSV-fil (UTF-8 eller Windows-1252) eller en Excelfil (.xlsx).",
    "file_csv_broken": "CSV-filen är trasig och kunde inte läsas: {detail}.",
    "file_xlsx_broken": "Excelfilen är trasig och kunde inte öppnas ({detail}).",
    "file_too_many_columns": "Filen har {n} kolumner; högst {max} tas emot. Det ser inte ut att vara en export från ett formulärverktyg.",
    "file_no_header": "Filen saknar rubrikrad: första raden måste innehålla kolumnnamn.",
    "file_no_rows": "Filen har en rubrikrad men inga datarader.",
    "file_wrong_columns": "Filen kunde inte läsas som {source}: kolumnerna {missing} saknas. Filens kolumner: {found}.",
    "file_other_source": "Filen ser ut att vara en {other}-fil, inte {source}. Välj rätt källa (python -m tsk import {other_key} …).",
    "file_no_mapping_match": "Ingen mappningsfil passar filens kolumner. Ange en med --mapping. Filens kolumner: {found}.",
    "mapping_unreadable": "Mappningsfilen {path} kunde inte läsas: {detail}",
    "mapping_no_columns": "Mappningsfilen {path} saknar avsnittet [columns].",
    "mapping_wrong_source": "Mappningsfilen {path} gäller källan «{mapped}», inte «{source}».",
    "mapping_bad": "Mappningsfilen {path} är felaktig: {detail}",
    "mapping_unknown_scale": "Mappningsfilen {path}: skalan «{scale}» för frågan «{item}» finns inte i konfigurationen.",
    "mapping_unknown_item": "Mappningsfilen {path}: frågan «{item}» finns inte i konfigurationen.",
    "source_lagesbild": "lägesbild",
    "source_survey": "trygghetsundersökning",
    "source_traffpunkt": "Träffpunkt-enkät",
    "source_police": "polisens händelser (JSON)",
    "source_areas": "områdesgränser (GeoJSON, GeoPackage eller Shapefile)",
    "traffpunkt_centralort": "Området «{area}» är inget Träffpunkt-område (Träffpunkt omfattar hela kommunen utom centralorten).",
    "missing_area": "Raden saknar område.",
    # --- row problems (quarantine) ---
    "row_too_many_fields": "Raden har {n} fält men rubrikraden har {expected}.",
    "unknown_ort": "Orten «{name}» finns inte i ortregistret.",
    "unknown_area": "Området «{name}» finns inte bland kommunens områden.",
    "unknown_plats": "Platsen «{name}» finns inte i ortregistret för {ort}.",
    "unknown_plats_no_ort": "Platsen «{name}» finns inte i ortregistret (ange ort för säkrare matchning).",
    "ambiguous_plats": "Platsen «{name}» finns i flera orter; ange vilken ort som avses.",
    "area_ort_mismatch": "Orten {ort} ligger i området {expected}, inte i {area}.",
    "missing_place": "Raden saknar ort och plats.",
    "unknown_category": "Kategorin «{name}» finns inte bland EST-kategorierna.",
    "unknown_organisation": "Organisationen «{name}» är okänd.",
    "unknown_grade": "Bedömningen «{value}» finns inte i bedömningsskalan ({allowed}).",
    "unknown_label": "Svaret «{value}» på frågan «{question}» finns inte i skalan ({allowed}).",
    "bad_week": "Ogiltig vecka: {detail}.",
    "bad_date": "Ogiltigt datum: {detail}.",
    "bad_timestamp": "Ogiltig tidpunkt: {detail}.",
    "missing_value": "Uppgiften «{field}» saknas.",
    "missing_reporter": "Raden saknar inrapportör (verksamhet).",
    "no_categories": "Raden anger varken någon kategori eller «inget att rapportera».",
    "suggestions": "Förslag: {names}.",
    # --- police importer ---
    "police_not_json": "Filen kunde inte läsas som JSON. Polisens händelser ska vara en JSON-fil i UTF-8, precis som polisen.se/api/events levererar den.",
    "police_not_events": "Filen är JSON men innehåller inte polisens händelser: en lista med händelser med fälten id, datetime, name, type och location väntades. Är det en fil från en annan källa?",
    "police_empty": "Filen innehåller en tom lista: inga händelser att importera.",
    "police_too_deep": "Filen är för djupt nästlad för att vara polisens händelser och avvisas.",
    "police_not_event": "Raden är ingen händelse (ett objekt med fälten id, datetime, name, type och location väntades).",
    "police_bad_value": "Uppgiften «{field}» har ett ogiltigt värde: «{value}».",
    "police_bad_datetime": "Publiceringstiden «{value}» kunde inte tolkas (väntat t.ex. «2025-09-19 15:19:03 +02:00»).",
    "police_bad_name": "Händelsens namn «{name}» börjar inte med dag, månad och klockslag (t.ex. «19 september 14.59, Trafikolycka, Svenljunga»).",
    # --- areas importer and geometry ---
    # --- demo data ---
    # --- import results (CLI) ---
    "import_done": "Importerat {source} från {file}: {accepted} godkända, {quarantined} i karantän.",
    "import_skipped": "  Ej importerade (inte fel): {reason}: {n}.",
    "import_already": "Filen {file} är redan importerad (import nr {import_id}); inget ändrat.",
    "import_quarantine_hint": "  Rader i karantän: se «python -m tsk status --json» eller sidan Data.",
    "demo_done": "Demodatabasen är byggd: {path}",
    "demo_missing_files": "Demofilerna saknas i {path}. Skapa dem med «python -m tsk.demo_data».",
    "status_header": "Databas: {path} (schemaversion {version})",
    "cli_internal_error": "Ett oväntat fel inträffade ({detail}). Inget har ändrats i databasen. Rapportera felet till förvaltaren.",
}


def t(key: str, **params) -> str:
    """The Swedish text for `key`, with params filled in. Unknown keys show the key (and fail tests)."""
    template = MESSAGES.get(key, key)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
