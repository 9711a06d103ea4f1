"""One error family. Each error carries a message key and parameters; the Swedish text lives in
`tsk.i18n`, so the CLI and the app render the same message."""
from __future__ import annotations

from tsk.i18n import t


class TskError(Exception):
    """A problem the user can act on. `key` names the message in tsk.i18n.MESSAGES."""

    def __init__(self, key: str, /, **params):  # positional-only: a message may quote a «key» of its own
        self.key = key
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:

        return t(self.key, **self.params)

    def __str__(self) -> str:  # so that a stray print still shows Swedish text
        return self.message


class FileRejected(TskError):
    """The whole file is refused; nothing is written."""


class RowProblem(TskError):
    """One row cannot be imported; it goes to quarantine with this reason."""

    def __init__(self, key: str, suggestions: list[str] | None = None, **params):
        super().__init__(key, **params)
        self.suggestions = suggestions or []
