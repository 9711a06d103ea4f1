"""The walk's route as a still image (PNG) for the walk protocol: the area outlines, the route through its
numbered stops, and the measures' marks, drawn offline with matplotlib (Agg) — the protocol is printed
and taken on the walk, where no web map opens. The stop list beside it in the workbook is its text
alternative."""
from __future__ import annotations

import io
import math

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tsk.maps.geometry import _map_geometries
from tsk.maps.route import ROUTE_COLOUR, measure_mark
from tsk.maps.text import _truthy

PAD_DEG = 0.003  # room around the stops (~300 m north–south)


def route_png(stops: pd.DataFrame, measures: pd.DataFrame | None = None, areas: pd.DataFrame | None = None, *,
              title: str = "", planned: bool = False, width_in: float = 7.0) -> bytes:
    """The route on a plain background as PNG bytes (150 dpi). Longitude is scaled by cos(latitude) so
    that distances look right."""
    fig = Figure(figsize=(width_in, width_in * 0.75), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    lat0 = float(stops["lat"].mean()) if len(stops) else 57.5
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    if areas is not None and len(areas):
        for g in _map_geometries(areas["geometry_wkt"].tolist(), 0.0002):
            for part in getattr(g, "geoms", [g]) if g is not None else []:
                x, y = part.exterior.xy if hasattr(part, "exterior") else part.xy
                ax.plot(x, y, color="#888888", linewidth=0.8, zorder=1)
    if len(stops):
        ax.plot(stops["lon"], stops["lat"], color="white", linewidth=6, zorder=2, solid_capstyle="round")
        ax.plot(stops["lon"], stops["lat"], color=ROUTE_COLOUR, linewidth=2.5, zorder=3,
                linestyle=(0, (5, 4)) if planned else "solid")
        for r in stops.itertuples():
            hollow = _truthy(r.approximate)
            ax.scatter([r.lon], [r.lat], s=260, zorder=4, color="white" if hollow else ROUTE_COLOUR,
                       edgecolors=ROUTE_COLOUR, linewidths=1.5, linestyle="--" if hollow else "-")
            ax.annotate(str(int(r.no)), (r.lon, r.lat), ha="center", va="center", zorder=5, fontsize=9,
                        fontweight="bold", color=ROUTE_COLOUR if hollow else "white")
        if measures is not None:
            for r in measures.itertuples():
                colour, symbol = measure_mark(r.status)
                ax.annotate(symbol, (r.lon, r.lat), xytext=(11, 11), textcoords="offset points", ha="center",
                            va="center", fontsize=8, fontweight="bold", color="white", zorder=6,
                            bbox={"boxstyle": "square,pad=0.25", "facecolor": colour, "edgecolor": "white"})
        ax.set_xlim(stops["lon"].min() - PAD_DEG * 2, stops["lon"].max() + PAD_DEG * 2)
        ax.set_ylim(stops["lat"].min() - PAD_DEG, stops["lat"].max() + PAD_DEG)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#bbbbbb")
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
