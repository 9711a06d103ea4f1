"""The import direction of STYLE.md, held: pages -> tsk.ui -> tsk.report -> tsk.pagedata -> tsk.store
and the foundations (LAYERS below, nothing imports upward); only tsk/store/ imports duckdb; only tsk/ui/
imports streamlit; importers import no store; no tsk module imports itself round a circle at load time;
every message key used in code exists in tsk.i18n."""
import ast
import re
from pathlib import Path

from tsk.config import ROOT, SETTINGS
from tsk.i18n import MESSAGES

UI_GLUE = ROOT / "tsk" / "ui"  # the only tsk package that may use Streamlit
CORE = [p for p in (ROOT / "tsk").rglob("*.py") if UI_GLUE not in p.parents]


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


STORE = ("tsk.store", "tsk.ingest")  # the store, and ingest, which writes to it


def test_importers_import_no_store():
    """tsk/importers/ are pure parsers (file -> batch or FileRejected): no import of the store, at load
    time or inside a function (tsk.ingest writes their batches)."""
    found = []
    for path in (ROOT / "tsk" / "importers").rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            found += [f"{path.name}:{node.lineno} {n}" for n in names
                      if any(n == s or n.startswith(s + ".") for s in STORE)]
    assert found == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolved(nodes, path: Path, known: set[str]) -> set[str]:
    """The tsk modules these import statements of `path` name (relative ones resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for n in nodes:
        if isinstance(n, ast.Import):
            found |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom):
            base = n.module or ""
            if n.level:
                up = package.split(".")[: len(package.split(".")) - (n.level - 1)]
                base = ".".join(up + ([n.module] if n.module else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in n.names}
    return {m for m in found if m in known and m != name}


def load_time_imports(path: Path, known: set[str]) -> set[str]:
    """The tsk modules `path` imports when it is loaded: its top-level imports (an import inside a
    function runs later, and one under `if TYPE_CHECKING` never)."""
    nodes = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        nodes += node.body if isinstance(node, ast.Try) else [node]
    return resolved(nodes, path, known)


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


# The layers, lowest first. A module may import its own layer and the ones below, never one above;
# every tsk module belongs to one (a new module must be placed here).
LAYERS = [
    ("foundations", ["tsk.i18n", "tsk.errors", "tsk.formatting", "tsk.parsing", "tsk.names_sv", "tsk.text",
                     "tsk.config", "tsk.safe_text", "tsk.stats", "tsk.geo", "tsk.gazetteer", "tsk.selection",
                     "tsk.access", "tsk.accessibility", "tsk.arshjul_config", "tsk.static_assets", "tsk.exports", "tsk",
                     "tsk.registers.statuses"]),  # the status vocabulary: words the config lists too
    ("registers", ["tsk.registers"]),
    ("store and parsers", ["tsk.store", "tsk.importers"]),
    ("ingest", ["tsk.ingest", "tsk.onboarding"]),
    ("page data and pictures", ["tsk.pagedata", "tsk.figures", "tsk.maps"]),
    ("report and demo", ["tsk.report", "tsk.demo", "tsk.demo_data"]),
    ("front ends", ["tsk.cli", "tsk.ui", "tsk.__main__"]),
]


def layer_of(module: str) -> int | None:
    best = None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + ".") and prefix != "tsk":
                if best is None or len(prefix) > best[1]:
                    best = (i, len(prefix))
    return None if best is None else best[0]


def all_imports(path: Path, known: set[str]) -> set[str]:
    """Every tsk module `path` imports, at load time or inside a function."""
    return resolved(ast.walk(ast.parse(path.read_text(encoding="utf-8"))), path, known)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, deps in graph.items() for b in deps if layer_of(b) > layer_of(a))


def test_the_layer_check_finds_an_upward_import():
    assert upward_imports({"tsk.store.survey": {"tsk.pagedata.survey"}}) == ["tsk.store.survey -> tsk.pagedata.survey"]
    assert upward_imports({"tsk.pagedata.survey": {"tsk.store.survey", "tsk.stats"}}) == []


def test_every_tsk_module_has_a_layer_and_none_imports_upward():
    paths = {module_name(p): p for p in (ROOT / "tsk").rglob("*.py")}
    assert [m for m in paths if layer_of(m) is None] == []
    graph = {name: all_imports(path, set(paths)) for name, path in paths.items()}
    assert upward_imports(graph) == []


def test_the_store_imports_no_parser_and_no_page_data():
    paths = {module_name(p): p for p in (ROOT / "tsk").rglob("*.py")}
    found = [f"{m} -> {d}" for m, p in paths.items() if m.startswith("tsk.store")
             for d in all_imports(p, set(paths)) if d.startswith(("tsk.importers", "tsk.ingest"))]
    assert found == []


def test_pages_do_not_import_duckdb_or_write_sql():
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        assert "duckdb" not in imported_modules(page), page
        assert not re.search(r"\bSELECT\b.+\bFROM\b", page.read_text(encoding="utf-8")), page



def test_pages_ask_typed_reads_never_a_question_by_name():
    """Each read a page asks is a function of tsk.ui.reads (navigable, checked at lint time), not a
    store method or analysis function named in a string."""
    import tsk.ui

    assert not hasattr(tsk.ui, "ask") and not hasattr(tsk.ui, "compute")
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "tsk" / "ui").glob("*.py")]:
        assert not re.search(r"\b(?:ask|compute)\(", path.read_text(encoding="utf-8")), path

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
    """Within one catalogue module (a dict literal keeps the last silently) or in two of them."""
    keys = []
    for path in sorted((ROOT / "tsk" / "i18n").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        keys += [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys
                 if isinstance(k, ast.Constant)]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
