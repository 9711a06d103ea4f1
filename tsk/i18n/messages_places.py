"""Messages of the places import (source `places`: places as real points from the kommun's GIS layer)."""

MESSAGES: dict[str, str] = {
    "source_places": "platser som punkter (GeoJSON, GeoPackage eller Shapefile)",
    "places_data_name_field": "Egenskap med platsens namn (bara platser; standard: namn, name eller plats)",
    # whole files
    "places_gpkg_no_points": "GeoPackage-filen har inget skikt med punkter (skikt: {layers}).",
    "places_gpkg_many_layers": "GeoPackage-filen har flera skikt med punkter ({layers}). Spara platsskiktet i en egen fil.",
    "places_field_missing": "Filen saknar egenskapen «{field}». Filens egenskaper: {available}.",
    "places_no_name_field": "Filen saknar en egenskap med platsens namn ({names}). Ange vilken med --name-field. Filens egenskaper: {available}.",
    "places_no_ort_field": "Filen saknar en egenskap med platsens ort ({names}). Filens egenskaper: {available}.",
    "places_outside_sweden": "Punkt {row} hamnar utanför Sverige (longitud {lon}, latitud {lat}) med filens koordinatsystem {crs}. Kontrollera att filen har rätt koordinatsystem (till exempel SWEREF 99 TM, EPSG:3006). Inget har importerats.",
    "places_all_outside": "Ingen punkt i filen ligger i {kommun} kommun (koordinatsystem {crs}). Kontrollera att filen gäller kommunen och har rätt koordinatsystem. Inget har importerats.",
    # rows
    "places_not_point": "Geometrin är ingen punkt ({kind}). En plats anges med en punkt.",
    "places_kind_multipoint": "MultiPoint med {n} punkter",
    "places_unknown_ort": "Orten «{name}» finns inte i ortregistret.",
    "places_outside_areas": "Platsen «{name}» ({ort}): punkten ligger utanför kommunens områden.",
    "places_outside_kommun": "Platsen «{name}» ({ort}): punkten ligger utanför {kommun} kommun.",
    "places_bad_name": "Namnet «{name}» kan inte bli en ny plats: ett platsnamn har högst {max} tecken, inga tecken som < > {{ }} \\ och inga personuppgifter.",
    "places_kept_at_ort": "Namnet «{name}» i {ort} har i granskningen fått stå kvar på ortnivå och blir ingen plats. Ta bort punkten ur GIS-skiktet eller rätta namnet och läs in det igen.",
    "places_similar_name": "Platsen «{name}» finns inte i {ort}, men liknar {similar}: den skapas inte, så att ingen stavning blir en plats till bredvid den rätta. Rätta namnet i GIS-skiktet och läs in det igen (ett verkligen nytt namn: skapa platsen med «python -m tsk places create» först).",
    "places_duplicate": "Platsen «{name}» ({ort}) har punkter på olika lägen i rad {rows}. Behåll en punkt per plats och läs in filen igen.",
    # notes in the import log
    "places_note_crs": "Koordinatsystem: {crs}.",
    "places_note_created": "Nya platser ur filen ({n}): {names}.",
    "places_note_rows_placed": "{n} lägesbildsrader med de nya platsernas namn skrivna fritt ligger nu på platserna.",
    "places_note_missing": "{n} platser i konfigurationen saknar punkt i filen och behåller sitt läge.",
}
