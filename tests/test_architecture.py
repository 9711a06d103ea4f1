"""The import direction of STYLE.md: pages -> tsk.ui -> tsk.*; only tsk/db.py imports duckdb; the core
never imports streamlit; every message key used in code exists in tsk.i18n."""
import ast
import re
from pathlib import Path

from tsk.config import ROOT, SETTINGS
from tsk.i18n import MESSAGES

UI_GLUE = {"ui.py", "ui_forms.py"}  # the only tsk modules that may use Streamlit
CORE = [p for p in (ROOT / "tsk").rglob("*.py") if p.name not in UI_GLUE]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_db_module_imports_duckdb():
    users = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tsk").rglob("*.py") if "duckdb" in imported_modules(p)}
    assert users == {"tsk/db.py"}


def test_the_core_never_imports_streamlit():
    assert [p.name for p in CORE if "streamlit" in imported_modules(p)] == []


def test_pages_do_not_import_duckdb_or_write_sql():
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        assert "duckdb" not in imported_modules(page), page
        assert not re.search(r"\bSELECT\b.+\bFROM\b", page.read_text(encoding="utf-8")), page


def test_every_message_key_used_in_code_exists():
    pattern = re.compile(r"""(?:\bt|TskError|FileRejected|RowProblem)\(\s*["']([a-z0-9_]+)["']""")
    used = set()
    for path in [*(ROOT / "tsk").rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert sorted(used - set(MESSAGES)) == []


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.env for s in SETTINGS.values() if s.env not in readme] == []


def test_no_message_key_is_defined_twice():
    tree = ast.parse((ROOT / "tsk" / "i18n.py").read_text(encoding="utf-8"))
    keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys
            if isinstance(k, ast.Constant)]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
