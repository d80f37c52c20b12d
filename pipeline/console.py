"""The one writer of what a command prints, and the one error handler around every command.

Everything the command line writes — reports, summaries, progress, help, click's usage
errors, error lines — goes through `SafeWriter`, which writes only what its stream can carry:

- control characters from the data (ESC, BEL, NUL, DEL, C1, bidi overrides, line separators)
  are written as visible escapes (`\\x1b`, `\\u202e`), so no PDF, correction or file name can
  drive the terminal or split a one-line message; newline and tab stay;
- a character the stream's encoding cannot carry gets a stand-in (`−` → `-`, `→` → `->`,
  `✗` → `x`, `✔` → `v`, `…` → `...`, full-width `：` → `:`), and without one a `\\uXXXX`
  escape: Chinese under latin-1 or ASCII is written as escapes, so nothing is lost (a UTF-8
  locale shows it); a byte of a file name that is not UTF-8 shows as `\\xff`;
- a write that fails — a full disk (ENOSPC: `diff > /dev/full`) or a reader that went away
  (EPIPE: `search | head -1`) — becomes one line on stderr and exit 9, never a traceback.

`guarded()` is the error handler of the CLI and of every stage's `main()`: a GuidelineError
is one line (in the language asked for) and its exit code; anything else is one line that
says it is a bug (GUIDELINES_DEBUG=1 shows the traceback). SIGTERM is handled as Ctrl-C is:
both unwind the run (every temporary it was building is removed on the way) and end in one
line and exit 130.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
import unicodedata

from .errors import GuidelineError, Interrupted, OutputError
from .i18n import N_, translate

# characters no report of ours needs raw, and a terminal would obey
_CONTROLS = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0),
             0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS}

# stand-ins for the symbols our reports print, where an encoding (latin-1, GBK, ASCII) lacks them
STAND_INS = {
    "−": "-", "–": "-", "—": "--", "→": "->", "←": "<-", "↔": "<->", "▶": ">", "◀": "<", "✗": "x", "✘": "x",
    "✔": "v", "✓": "v", "⚠": "!", "…": "...", "·": ".", "•": "*", "≥": ">=", "≤": "<=", "≠": "!=", "×": "x",
    "÷": "/", "“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"', "─": "-", "│": "|", "┌": "+", "┐": "+",
    "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "\u3000": " ", "\u00a0": " ", "€": "EUR",
}


def _stand_in(error: UnicodeEncodeError) -> tuple[str, int]:
    """Encoding error handler: a stand-in, a surrogate-escaped byte as \\xNN, else a \\uXXXX escape."""
    out = []
    for ch in error.object[error.start:error.end]:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (Python's surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
            continue
        candidate = STAND_INS.get(ch) or unicodedata.normalize("NFKC", ch)
        try:
            candidate.encode(error.encoding)
            if candidate != ch:
                out.append(candidate)
                continue
        except (UnicodeEncodeError, LookupError):
            pass
        out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out), error.end


codecs.register_error("guidelines.stand-in", _stand_in)


def printable(text: str, encoding: str | None = "utf-8") -> str:
    """text as a stream of that encoding can carry it: controls escaped, the rest encodable (see above)."""
    text = text.translate(_ESCAPES)
    encoding = encoding or "utf-8"
    try:
        return text.encode(encoding, errors="guidelines.stand-in").decode(encoding)
    except LookupError:  # an encoding Python does not know: ASCII is safe everywhere
        return text.encode("ascii", errors="guidelines.stand-in").decode("ascii")


def _stream_encoding(stream) -> str:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return "utf-8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "ascii"


class SafeWriter:
    """A text stream over a real one (stdout, stderr) that takes any text and writes what the real one can carry.

    It says it is UTF-8 with strict errors, so click writes to it as it is; the real stream's
    encoding is applied here. A failed write (ENOSPC, EPIPE …) raises one OutputError, after
    which the real stream is pointed at /dev/null so that nothing fails again at exit."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, stream, name: str):
        self.stream, self.name = stream, name
        self.target = _stream_encoding(stream)
        self.broken = False

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not self.broken and text:
            try:
                self.stream.write(printable(text, self.target))
            except OSError as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except OSError as exc:
                self._failed(exc)

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            return False

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def closed(self) -> bool:
        return getattr(self.stream, "closed", False)

    def _failed(self, exc: OSError):
        self.broken = True
        _silence(self.stream)
        if exc.errno == errno.EPIPE:
            raise OutputError(N_("{stream}: closed by the reader before everything was written (broken pipe); "
                                 "the output is incomplete"), stream=self.name) from None
        raise OutputError(N_("{stream}: cannot be written ({reason}); free some space, or write to a file "
                             "elsewhere with --out"), stream=self.name, reason=exc.strerror or str(exc)) from None


def _silence(stream) -> None:
    """Point a failed standard stream at /dev/null, so the interpreter's last flush cannot fail too."""
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


LANG = {"current": None}  # the --lang of the running command (None: from the environment)


def set_lang(lang: str | None) -> None:
    LANG["current"] = lang


def current_lang() -> str | None:
    return LANG["current"]


def _(message: str) -> str:
    """A message in the language of the running command."""
    return translate(message, LANG["current"])


def out(text: str = "", nl: bool = True) -> None:
    """Write to standard output (through the SafeWriter while a command runs)."""
    sys.stdout.write(text + ("\n" if nl else ""))
    sys.stdout.flush()


def err(text: str = "", nl: bool = True) -> None:
    """Write to standard error (progress, warnings, notes, the error line)."""
    sys.stderr.write(text + ("\n" if nl else ""))
    sys.stderr.flush()


def error_line(message: str) -> None:
    """The one line a failed command ends with. A failing stderr cannot say anything more."""
    try:
        err(_("error: {message}").format(message=message))
    except GuidelineError:
        pass


@contextlib.contextmanager
def safe_streams():
    """sys.stdout and sys.stderr through SafeWriters for the duration (the real ones restored after)."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeWriter):
        sys.stdout = SafeWriter(sys.stdout, "standard output")
    if not isinstance(sys.stderr, SafeWriter):
        sys.stderr = SafeWriter(sys.stderr, "standard error")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _internal(exc: BaseException) -> str:
    return _("internal error ({error}); rerun with GUIDELINES_DEBUG=1 and report it").format(
        error=f"{type(exc).__name__}: {exc}")


INTERRUPTED = N_("interrupted ({signal}); nothing half-written was left behind; run the command again")


def _terminated(signum, frame):
    raise KeyboardInterrupt("SIGTERM")


@contextlib.contextmanager
def sigterm_as_interrupt():
    """SIGTERM raises KeyboardInterrupt for the duration, as Ctrl-C does (in the main thread only: a signal
    handler cannot be set elsewhere), so the same `finally` blocks clean up."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def interrupted_line(exc: BaseException) -> None:
    """The one line of an interrupted run (exit Interrupted.exit_code follows)."""
    name = "SIGTERM" if exc.args == ("SIGTERM",) else "Ctrl-C"
    error_line(Interrupted(INTERRUPTED, signal=name).translated(LANG["current"]))


@contextlib.contextmanager
def guarded():
    """The one error handler: stdout and stderr through SafeWriters, a GuidelineError as one line and its exit
    code (SystemExit), any other exception as one line saying it is a bug (exit 1); the output flushed at the end,
    so a full disk or a closed pipe is reported too."""
    with safe_streams(), sigterm_as_interrupt():
        try:
            yield
            sys.stdout.flush()
        except GuidelineError as exc:
            error_line(exc.translated(LANG["current"]))
            raise SystemExit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            interrupted_line(exc)
            raise SystemExit(Interrupted.exit_code) from None
        except SystemExit:
            raise
        except Exception as exc:  # a bug, not bad input: still one line, but say so
            if os.environ.get("GUIDELINES_DEBUG"):
                raise
            error_line(_internal(exc))
            raise SystemExit(1) from None
