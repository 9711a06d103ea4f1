"""The import direction of STYLE.md: pages -> tsk.ui -> tsk.*; only tsk/store/ imports duckdb; the core
never imports streamlit; no tsk module imports itself round a circle at load time; every message key
used in code exists in tsk.i18n."""
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


def test_only_the_store_package_imports_duckdb():
    users = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tsk").rglob("*.py") if "duckdb" in imported_modules(p)}
    assert "tsk/store/base.py" in users
    assert sorted(u for u in users if not u.startswith("tsk/store/")) == []


def test_the_core_never_imports_streamlit():
    assert [p.name for p in CORE if "streamlit" in imported_modules(p)] == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def load_time_imports(path: Path, known: set[str]) -> set[str]:
    """The tsk modules `path` imports when it is loaded: its top-level imports (an import inside a
    function runs later, and one under `if TYPE_CHECKING` never), relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for n in node.body if isinstance(node, ast.Try) else [node]:
            if isinstance(n, ast.Import):
                found |= {a.name for a in n.names}
            elif isinstance(n, ast.ImportFrom):
                base = n.module or ""
                if n.level:
                    up = package.split(".")[: len(package.split(".")) - (n.level - 1)]
                    base = ".".join(up + ([n.module] if n.module else []))
                found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in n.names}
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan): each is an import circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_tsk_module_imports_itself_round_a_circle_at_load_time():
    paths = {module_name(p): p for p in (ROOT / "tsk").rglob("*.py")}
    graph = {name: load_time_imports(path, set(paths)) for name, path in paths.items()}
    assert sum(map(len, graph.values())) > 50, "the import graph was read"
    assert cycles(graph) == []


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
