"""Messages of the configurable base map and the offline context layer ([map] in tsk.toml)."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # [map] in the configuration
    "basemap_config_not_table": "Konfigurationsfilen {path}: [map] ska vara en tabell (avsnitt), inte «{value}».",
    "basemap_config_unknown_key": "Konfigurationsfilen {path}: [map] känner inte till uppgiften «{key}» (kända: {known}).",
    "basemap_config_bad_url": "Konfigurationsfilen {path}: [map] url ska vara en adress som börjar med http:// eller https://, inte «{value}».",
    "basemap_config_no_placeholders": "Konfigurationsfilen {path}: [map] url «{value}» saknar platshållarna för en kartbricka: antingen {{z}}, {{x}} och {{y}}, eller (WMTS) {{TileMatrix}}, {{TileRow}} och {{TileCol}}.",
    "basemap_config_unknown_placeholder": "Konfigurationsfilen {path}: [map] url innehåller platshållaren «{placeholder}», som kartan inte kan fylla i (skriv in värdet, t.ex. lagrets namn, direkt i adressen).",
    "basemap_config_no_attribution": "Konfigurationsfilen {path}: [map] attribution saknas. Bakgrundskartans upphovsrätt ska visas på kartan, t.ex. «© Lantmäteriet» eller «© OpenStreetMap-bidragsgivare».",
    "basemap_config_bad_zoom": "Konfigurationsfilen {path}: [map] max_zoom ska vara ett helt tal från 1 till 22, inte «{value}».",
    "basemap_config_bad_subdomains": "Konfigurationsfilen {path}: [map] subdomains ska vara en lista med korta namn (t.ex. [\"a\", \"b\", \"c\"]), inte «{value}».",
    "basemap_config_subdomains_unused": "Konfigurationsfilen {path}: [map] url innehåller {{s}} men subdomains saknas (eller tvärtom).",
    "basemap_config_bad_attribution_url": "Konfigurationsfilen {path}: [map] attribution_url ska vara en adress som börjar med http:// eller https://, inte «{value}».",
    "basemap_config_bad_context_files": "Konfigurationsfilen {path}: [map] context_files ska vara en lista med filnamn (t.ex. [\"vatten.geojson\", \"vagar.gpkg\"]), inte «{value}».",
    "basemap_config_context_file_missing": "Konfigurationsfilen {path}: [map] context_files: filen {file} finns inte.",
    "basemap_context_file_unusable": "Kartans bakgrundsfil {file} kan inte visas: {reason} Kartorna visas utan den.",
    # on the map
    "basemap_unavailable": "Bakgrundskartan kan inte visas just nu. Kartan visar data utan bakgrund.",
    "basemap_layer": "Bakgrundskarta",
    "basemap_context_layer": "Kommungräns och orter",
}
