"""Page data: what each page shows, computed from the store's named queries and tsk.stats, and shaped
into display-ready frames (Swedish column labels, numbers formatted as shown).

One module per page — overview (Översikt), lagesbild, survey (Trygghetsundersökning), traffpunkt,
meeting (Analysgrupp), vandring (Trygghetsvandring's tables), imports (the Data page's tables) — and
common for what several pages share. The candidates for a trygghetsvandring: `candidates` gathers each
unit's evidence, `scoring` tests, explains and ranks it with the components of `scoring_components`
(one row per component: key, score, reason; weights from config). A page reads the selection, calls these and lays out the result;
a number on a page leads here in one hop and to its query in tsk.store in two.

No Streamlit and no SQL here.
"""
