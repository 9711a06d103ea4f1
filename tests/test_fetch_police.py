"""`python -m tsk fetch police`: a local HTTP server on loopback plays the polisen.se events API, serving
the real samples; an error status, a timeout, an unreachable host and a malformed body are each rejected
with exit 2, a Swedish reason and the store unchanged byte for byte."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tsk.cli import main
from tsk.config import ROOT
from tsk.store import open_store

SAMPLE = "polisen_events_svenljunga_2023_2026.json"


class Api(BaseHTTPRequestHandler):
    body = b""
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        Api.requests.append(self.path)
        route = self.path.split("?")[0]
        if route == "/slow":
            time.sleep(3)
        if route == "/error":
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"Service Unavailable")
            return
        payload = b'[{"id": 1, "datetime": "2025-' if route == "/malformed" else Api.body
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def api(realdata):
    Api.body = (realdata / SAMPLE).read_bytes()
    Api.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def use_config(tmp_path, monkeypatch, url: str, timeout_s: float = 5) -> None:
    """The shipped tsk.toml with a [police.fetch] section pointing at the local API."""
    text = (ROOT / "tsk.toml").read_text(encoding="utf-8")
    text += f'\n[police.fetch]\nurl = "{url}"\ntimeout_s = {timeout_s}\n'
    path = tmp_path / "tsk.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TSK_CONFIG", str(path))


def police_count(db: Path) -> int:
    with open_store(db, read_only=True) as store:
        return store.counts()["police"]


def test_fetch_imports_the_kommuns_events_once(api, tmp_path, monkeypatch, capsys):
    use_config(tmp_path, monkeypatch, api + "/api/events")
    db = tmp_path / "tsk.duckdb"
    assert main(["fetch", "police", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    n = police_count(db)
    svenljunga = [e for e in json.loads(Api.body) if "Svenljunga" in json.dumps(e, ensure_ascii=False)]
    assert 0 < n <= len(svenljunga)
    assert "police" in out
    # The county filter from [kommun] lan goes with the request, URL-encoded.
    assert "locationname=V%C3%A4stra+G%C3%B6talands+l%C3%A4n" in Api.requests[0]
    # Fetching the same events again adds nothing (same dedup as a hand import).
    assert main(["fetch", "police", "--db", str(db)]) == 0
    assert police_count(db) == n


@pytest.mark.parametrize("route, timeout_s, expected", [
    ("/error", 5, "felkod 503"),
    ("/slow", 0.5, "svarade inte inom 0,5 sekunder"),
    ("/malformed", 5, None),
])
def test_a_failed_fetch_changes_nothing(api, tmp_path, monkeypatch, capsys, route, timeout_s, expected):
    db = tmp_path / "tsk.duckdb"
    use_config(tmp_path, monkeypatch, api + "/api/events")
    assert main(["fetch", "police", "--db", str(db)]) == 0
    before = db.read_bytes()
    backups = sorted(p.name for p in (tmp_path / "backup").glob("*")) if (tmp_path / "backup").exists() else []
    capsys.readouterr()
    use_config(tmp_path, monkeypatch, api + route, timeout_s)
    assert main(["fetch", "police", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    if expected:
        assert expected in err
    else:  # the importer's own reason for a body that is not the API's JSON
        assert "JSON" in err
    assert db.read_bytes() == before
    after = sorted(p.name for p in (tmp_path / "backup").glob("*")) if (tmp_path / "backup").exists() else []
    assert after == backups


def test_unreachable_api_is_rejected_in_swedish(tmp_path, monkeypatch, capsys):
    # A port nobody listens on: bind one, close it, use it.
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    use_config(tmp_path, monkeypatch, f"http://127.0.0.1:{port}/api/events")
    db = tmp_path / "tsk.duckdb"
    assert main(["fetch", "police", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "gick inte att nå" in err
    assert not db.exists()


def test_a_url_that_is_not_http_is_refused(tmp_path, monkeypatch, capsys):
    use_config(tmp_path, monkeypatch, "file:///etc/passwd")
    assert main(["fetch", "police", "--db", str(tmp_path / "tsk.duckdb")]) == 2
    assert "måste börja med http" in capsys.readouterr().err
