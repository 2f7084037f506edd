"""Reading seed sources that are not on the web: a bundled sample or a file in the seed folder.

A seed reference is operator input kept in the database, so it is treated as hostile:
`bundled:<name>` must stay inside the packaged `seeds` folder, a path or `file://` URL inside
SEED_DIR, both after following symlinks; only regular files are opened (never a device, fifo
or folder), and never more than `max_bytes` + 1 bytes are read, so `/etc/passwd`, `/dev/zero`
or a huge log cannot be ingested or exhaust the bot.

Relative paths (and SEED_DIR itself when relative) are relative to the working directory, as
they are for every other command-line path; the CLI stores the absolute path it located, so
the poller's working directory does not change which file a source names.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from bot.ingest.errors import SourceError
from bot.ingest.seed_files import bundled_seed_dir

BUNDLED = "bundled:"
_CHUNK = 64 * 1024
_LOCAL_SCHEMES = frozenset({"", "file", "bundled"})
# RFC 3986's scheme, read without urlsplit, which raises for a malformed rest ("http://[abc").
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Non-blocking, so that a fifo swapped in after the check cannot hang the open; no symlink
# swapped in as the last component is followed either.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


def is_local_reference(reference: str) -> bool:
    """A bundled name, a `file:` URL or a plain path: something on the bot's own machine."""
    scheme = _SCHEME.match(reference)
    return (scheme.group(1).lower() if scheme else "") in _LOCAL_SCHEMES


def locate_seed_reference(reference: str, *, seed_dir: Path) -> Path:
    """The real path of a local seed reference, checked (but not read): inside its folder, a file.

    Raises SourceError: "seed.outside_folder" (its `detail` is the folder the file had to be
    in), "seed.not_a_file" or "source.unreadable" (`detail` is the path).
    """
    candidate, folder = _candidate(reference, seed_dir)
    try:
        path, root = candidate.resolve(), folder.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte in the name
        raise SourceError("source.unreadable", detail=str(candidate)) from None
    if not path.is_relative_to(root):
        raise SourceError("seed.outside_folder", detail=str(root))
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        raise SourceError("source.unreadable", detail=str(path)) from None
    if not stat.S_ISREG(mode):
        raise SourceError("seed.not_a_file", detail=str(path))
    return path


def read_seed_reference(reference: str, *, seed_dir: Path, max_bytes: int) -> bytes:
    """The bytes of a local seed file; the reasons of `locate_seed_reference`, or "seed.too_large".

    Blocking file I/O: call it from a worker thread in async code.
    """
    path = locate_seed_reference(reference, seed_dir=seed_dir)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        raise SourceError("source.unreadable", detail=str(path)) from None
    try:
        # The file may have been swapped since it was located: check what was opened.
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise SourceError("seed.not_a_file", detail=str(path))
        data = _read_at_most(descriptor, max_bytes + 1)
    except OSError:
        raise SourceError("source.unreadable", detail=str(path)) from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise SourceError("seed.too_large", detail=f"{path}: more than {max_bytes} bytes")
    return data


def _candidate(reference: str, seed_dir: Path) -> tuple[Path, Path]:
    """The path a reference names, unresolved, and the folder it must stay inside."""
    parts = urlsplit(reference)
    scheme = parts.scheme.lower()
    if scheme == "bundled":
        folder = bundled_seed_dir()
        return folder / reference[len(BUNDLED) :], folder
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):  # a file on another machine
            raise SourceError("seed.outside_folder", detail=str(seed_dir.absolute()))
        return Path(url2pathname(parts.path)), seed_dir
    if scheme:
        raise SourceError("source.unreadable", detail=f"{reference}: not a local seed reference")
    return Path(reference), seed_dir


def _read_at_most(descriptor: int, limit: int) -> bytes:
    """Up to `limit` bytes, in chunks: memory follows the file's real size, not the limit."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(descriptor, min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
