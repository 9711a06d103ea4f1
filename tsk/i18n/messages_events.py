"""Messages of events on the map (issue 19, part C): the hot-spot layer of hexagons, the map's filters on
Lägesbild and the [map] hotspot_cell_m setting."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "events_config_bad_cell": "Konfigurationsfilen {path}: [map] hotspot_cell_m ska vara ett helt antal meter från 50 till 20 000, inte «{value}».",
    # the hot-spot layer
    "events_hotspot_layer": "Täthet (sexhörningar)",
    "events_hotspot_legend": "Rapporter per sexhörning; varje sexhörning är {cell} m bred. Sexhörningar med färre än {min} rapporter visas inte.",
    "events_hotspot_tooltip": "{count} rapporter inom {cell} m bred sexhörning ({places})",
    "events_hotspot_places_one": "1 plats",
    "events_hotspot_places_many": "{n} platser",
    "events_hotspot_none": "Ingen sexhörning har minst {min} rapporter: tätheten visas inte.",
    "events_hotspot_caption": "Tätheten räknar rapporter per sexhörning, {cell} m bred, med platsernas positioner (varje plats har en position; rapporter som bara nämner orten räknas vid orten). Sexhörningar med färre än {min} rapporter döljs ({hidden} st.).",
    "events_hotspot_widened": "Sexhörningarna är bredare än inställda {set} m, så att kartan inte blir för tung med så många platser.",
    # filters above the map
    "events_filter_categories": "Kategorier på kartan",
    "events_filter_period": "Period på kartan",
    "events_period_weeks": "Senaste {n} veckorna",
    "events_period_all": "Hela den valda perioden",
    "events_map_shows": "Visa på kartan",
    "events_show_points": "Platser",
    "events_show_hotspots": "Täthet",
    "events_show_police": "Polisens händelser",
    "events_no_categories": "Välj minst en kategori för att visa kartan.",
    "map_police_left": "Ytterligare {n} orter med sammanlagt {events} händelser visas inte (bara orterna med flest händelser har en ruta).",
}
