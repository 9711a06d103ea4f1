"""Fetch police events from the polisen.se events API and import them through the police importer.

The body is saved to a temporary file and handed to `run_import`, so the fetched events go through
exactly the same checks, county-level handling and dedup as a file imported by hand. Any failure before
the import (HTTP error status, timeout, unreachable host, oversized body) raises TskError and writes
nothing; a malformed body is rejected by the importer with its own reason.

Config (tsk.toml, all optional):

    [police.fetch]
    url = "https://polisen.se/api/events"   # the API
    location = "Västra Götalands län"        # ?locationname=; default: [kommun] lan
    timeout_s = 30
"""
from __future__ import annotations

import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from tsk.config import KommunConfig, load_config
from tsk.errors import TskError
from tsk.formatting import fmt_dec, fmt_int
from tsk.ingest.run import ImportOutcome, run_import

DEFAULT_URL = "https://polisen.se/api/events"
DEFAULT_TIMEOUT_S = 30
# The API returns at most 500 events (a few hundred KB); anything far larger is not the API.
MAX_BYTES = 50 * 1024 * 1024


def fetch_settings(config: KommunConfig) -> tuple[str, float]:
    """The full request URL (with the county filter) and the timeout from [police.fetch]."""
    fetch = config.raw.get("police", {}).get("fetch", {})
    url = str(fetch.get("url", DEFAULT_URL))
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise TskError("fetch_police_bad_url", url=url)
    location = str(fetch.get("location", config.lan) or "")
    if location:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"locationname": location})
    return url, float(fetch.get("timeout_s", DEFAULT_TIMEOUT_S))


def _seconds(timeout: float) -> str:
    return fmt_int(timeout) if float(timeout).is_integer() else fmt_dec(timeout)


def download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "TSK-dashboard", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as e:
        raise TskError("fetch_police_http_status", status=e.code, url=url) from None
    except TimeoutError:
        raise TskError("fetch_police_timeout", seconds=_seconds(timeout), url=url) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, (TimeoutError, socket.timeout)):
            raise TskError("fetch_police_timeout", seconds=_seconds(timeout), url=url) from None
        raise TskError("fetch_police_unreachable", url=url, detail=str(e.reason)) from None
    except OSError as e:
        raise TskError("fetch_police_unreachable", url=url, detail=e.strerror or type(e).__name__) from None
    if len(body) > MAX_BYTES:
        raise TskError("fetch_police_too_large", limit_mb=MAX_BYTES // (1024 * 1024), url=url)
    return body


def fetch_police(db: Path, config: KommunConfig | None = None) -> ImportOutcome:
    config = config or load_config()
    url, timeout = fetch_settings(config)
    body = download(url, timeout)
    with tempfile.TemporaryDirectory(prefix="tsk-fetch-") as tmp:
        # The file name is what the import log shows: when it was fetched.
        path = Path(tmp) / f"polisen_events_{datetime.now():%Y%m%dT%H%M%S}.json"
        path.write_bytes(body)
        return run_import("police", path, db=db, config=config)
