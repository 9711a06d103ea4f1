"""TSK-dashboard entry point: page config and navigation. Each page draws the shared sidebar."""
import streamlit as st

from tsk.i18n import t

st.set_page_config(page_title=t("app_title"), page_icon="assets/favicon.png", layout="wide")

pages = [
    st.Page("pages/oversikt.py", title=t("page_oversikt"), icon=":material/map:", default=True),
    st.Page("pages/lagesbild.py", title=t("page_lagesbild"), icon=":material/report:"),
    st.Page("pages/trygghet.py", title=t("page_trygghet"), icon=":material/groups:",
            url_path="trygghetsundersokning"),
    st.Page("pages/traffpunkt.py", title=t("page_traffpunkt"), icon=":material/forum:"),
    st.Page("pages/vandring.py", title=t("page_vandring"), icon=":material/directions_walk:"),
    st.Page("pages/analysgrupp.py", title=t("page_analysgrupp"), icon=":material/groups_3:"),
]
st.navigation(pages).run()
