"""TSK-dashboard entry point: page config, login and navigation. Each page draws the shared sidebar."""
import streamlit as st

from tsk import access, ui
from tsk.i18n import t

# In Mötesläge the sidebar starts folded away: the projector's width goes to the figures.
st.set_page_config(page_title=t("app_title"), page_icon="assets/favicon.png", layout="wide",
                   initial_sidebar_state="collapsed" if ui.meeting_on() else "auto")

# (page key in tsk.access.PAGES, file, title key, icon, URL path)
PAGES = [
    ("oversikt", "pages/oversikt.py", "page_oversikt", ":material/map:", None),
    ("lagesbild", "pages/lagesbild.py", "page_lagesbild", ":material/report:", None),
    ("trygghet", "pages/trygghetsundersokning.py", "page_trygghet", ":material/groups:", None),
    ("traffpunkt", "pages/traffpunkt.py", "page_traffpunkt", ":material/forum:", None),
    ("vandring", "pages/vandring.py", "page_vandring", ":material/directions_walk:", None),
    ("analysgrupp", "pages/analysgrupp.py", "page_analysgrupp", ":material/groups_3:", None),
    ("uppfoljning", "pages/uppfoljning.py", "page_uppfoljning", ":material/summarize:", None),
    ("data", "pages/data.py", "page_data", ":material/upload_file:", None),
    ("veckorapport", "pages/veckorapport.py", "page_veckorapport", ":material/edit_note:", None),
    ("tillganglighet", "pages/tillganglighet.py", "page_tillganglighet", ":material/accessibility_new:", None),
]

ui.base_css()
role = ui.current_role()
# Veckorapport is for whoever reports for a unit (an analysgrupp member may too); an inrapportör sees
# only it (their start page) and Tillgänglighet.
units = ui.user_units(role)
listed = [p for p in PAGES
          if (ui.may_report(role, units) if p[0] == "veckorapport" else access.may_open(role, p[0]))]
keys = [p[0] for p in listed]
start = next((k for k in ("oversikt", "veckorapport") if k in keys), keys[0])
# Every page is registered; those the user may not open are hidden from the navigation. A URL typed by
# hand then reaches the page, whose own check says «Du har inte behörighet» in Swedish (an unregistered
# URL got Streamlit's English «Page not found» and the start page instead).
navigation = [
    st.Page(file, title=t(title), icon=icon, url_path=url, default=key == start,
            visibility="visible" if key in keys else "hidden")
    for key, file, title, icon, url in PAGES
]
ui.account_box(role)
ui.navigating(True)
try:
    st.navigation(navigation).run()
finally:
    ui.navigating(False)
