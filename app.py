"""TSK-dashboard entry point: page config, navigation and the shared sidebar."""
import streamlit as st

from tsk.i18n import t

st.set_page_config(page_title=t("app_title"), page_icon=":material/shield:", layout="wide")

pages = [
    st.Page("pages/oversikt.py", title=t("page_oversikt"), icon=":material/map:", default=True),
]
navigation = st.navigation(pages)
navigation.run()
