"""Tillgänglighet: the accessibility statement DOS-lagen asks for, reachable from every page."""
import streamlit as st

from tsk import accessibility, ui
from tsk.i18n import t

_, cfg, role = ui.page("tillganglighet", with_sidebar=False, needs_store=False)
text, has_contact = accessibility.statement_markdown(cfg, service=t("app_title"))
if not has_contact and ui.may(role, "edit_registers"):
    st.warning(t("a11y_contact_missing"))
st.markdown(text)
