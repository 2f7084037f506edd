"""Local seed references read only regular files inside their folder, and never too much."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from bot.ingest.errors import SourceError
from bot.ingest.seed_files import bundled_seed_dir
from bot.ingest.seed_reading import (
    is_local_reference,
    locate_seed_reference,
    read_seed_reference,
)

BUNDLED_NAME = "enbekshi-qazaq-business-2025-01-13.txt"
MAX_BYTES = 1000
OK = b"Site\n\nNews\n"


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A seed folder with every kind of thing in it, and a file just outside it."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "ok.txt").write_bytes(OK)
    (folder / "name with space.txt").write_bytes(OK)
    (folder / "exact.txt").write_bytes(b"x" * MAX_BYTES)
    (folder / "big.txt").write_bytes(b"x" * (MAX_BYTES + 1))
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_bytes(OK)
    os.mkfifo(folder / "pipe")
    (tmp_path / "outside.txt").write_bytes(b"secret")
    (folder / "escape.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "zero").symlink_to("/dev/zero")
    (folder / "alias.txt").symlink_to(folder / "ok.txt")
    (folder / "loop").symlink_to(folder / "loop")
    return folder


READABLE = [
    # (reference, the file whose bytes it gives)
    (f"bundled:{BUNDLED_NAME}", f"{{bundled}}/{BUNDLED_NAME}"),
    (f"bundled:./{BUNDLED_NAME}", f"{{bundled}}/{BUNDLED_NAME}"),
    ("{seeds}/ok.txt", "{seeds}/ok.txt"),
    ("{seeds}/sub/nested.txt", "{seeds}/sub/nested.txt"),
    ("{seeds}/sub/../ok.txt", "{seeds}/ok.txt"),
    ("{seeds}/alias.txt", "{seeds}/ok.txt"),
    ("{seeds}/exact.txt", "{seeds}/exact.txt"),
    ("file://{seeds}/ok.txt", "{seeds}/ok.txt"),
    ("file://localhost{seeds}/ok.txt", "{seeds}/ok.txt"),
    ("file://{seeds}/name%20with%20space.txt", "{seeds}/name with space.txt"),
]

REFUSED = [
    ("bundled:../../etc/passwd", "seed.outside_folder"),
    ("bundled:../bot/settings.py", "seed.outside_folder"),
    ("bundled:/etc/passwd", "seed.outside_folder"),
    ("bundled:", "seed.not_a_file"),
    ("bundled:missing.txt", "source.unreadable"),
    ("{seeds}/../outside.txt", "seed.outside_folder"),
    ("{tmp}/outside.txt", "seed.outside_folder"),
    ("file://{tmp}/outside.txt", "seed.outside_folder"),
    ("file://example.kz{seeds}/ok.txt", "seed.outside_folder"),
    ("/etc/passwd", "seed.outside_folder"),
    ("file:///etc/passwd", "seed.outside_folder"),
    ("/dev/zero", "seed.outside_folder"),
    ("{seeds}/escape.txt", "seed.outside_folder"),
    ("{seeds}/zero", "seed.outside_folder"),
    ("{seeds}", "seed.not_a_file"),
    ("{seeds}/sub", "seed.not_a_file"),
    ("{seeds}/pipe", "seed.not_a_file"),
    ("{seeds}/big.txt", "seed.too_large"),
    ("{seeds}/missing.txt", "source.unreadable"),
    ("{seeds}/loop", "source.unreadable"),
    ("{seeds}/nul\x00.txt", "source.unreadable"),
    ("ftp://{seeds}/ok.txt", "source.unreadable"),
]


@pytest.mark.parametrize(("reference", "expected"), READABLE)
def test_readable_references(seed_dir: Path, tmp_path: Path, reference: str, expected: str) -> None:
    places = {"seeds": seed_dir, "tmp": tmp_path, "bundled": bundled_seed_dir()}
    data = read_seed_reference(
        reference.format_map(places), seed_dir=seed_dir, max_bytes=MAX_BYTES * 1000
    )
    assert data == Path(expected.format_map(places)).read_bytes()


@pytest.mark.parametrize(("reference", "reason"), REFUSED)
def test_refused_references(seed_dir: Path, tmp_path: Path, reference: str, reason: str) -> None:
    with pytest.raises(SourceError) as raised:
        read_seed_reference(
            reference.format(seeds=seed_dir, tmp=tmp_path), seed_dir=seed_dir, max_bytes=MAX_BYTES
        )
    assert raised.value.reason == reason


def test_exactly_max_bytes_is_allowed_and_one_more_is_not(seed_dir: Path) -> None:
    exact = read_seed_reference(str(seed_dir / "exact.txt"), seed_dir=seed_dir, max_bytes=MAX_BYTES)
    assert exact == b"x" * MAX_BYTES
    with pytest.raises(SourceError, match=r"seed\.too_large"):
        read_seed_reference(str(seed_dir / "big.txt"), seed_dir=seed_dir, max_bytes=MAX_BYTES)


def test_an_outside_reference_names_the_folder_it_had_to_be_in(seed_dir: Path) -> None:
    with pytest.raises(SourceError) as raised:
        locate_seed_reference("/etc/passwd", seed_dir=seed_dir)
    assert raised.value.detail == str(seed_dir.resolve())
    with pytest.raises(SourceError) as bundled:
        locate_seed_reference("bundled:../../etc/passwd", seed_dir=seed_dir)
    assert bundled.value.detail == str(bundled_seed_dir().resolve())


def test_locating_follows_symlinks_to_the_real_file(seed_dir: Path) -> None:
    found = locate_seed_reference(str(seed_dir / "alias.txt"), seed_dir=seed_dir)
    assert found == (seed_dir / "ok.txt").resolve()


def test_relative_paths_are_relative_to_the_working_directory(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = read_seed_reference("seeds/ok.txt", seed_dir=Path("seeds"), max_bytes=MAX_BYTES)
    assert data == OK
    with pytest.raises(SourceError, match=r"seed\.outside_folder"):
        read_seed_reference("outside.txt", seed_dir=Path("seeds"), max_bytes=MAX_BYTES)


def test_dev_zero_is_refused_at_once_with_bounded_memory() -> None:
    """Even with /dev as the seed folder, a device is never read."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match=r"seed\.not_a_file"):
            read_seed_reference("/dev/zero", seed_dir=Path("/dev"), max_bytes=10**9)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1
    assert peak < 1_000_000


def test_a_huge_file_costs_only_the_limit(tmp_path: Path) -> None:
    """A sparse 1 GiB file: reading it whole would take a gigabyte and seconds."""
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(2**30)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match=r"seed\.too_large"):
            read_seed_reference(str(huge), seed_dir=tmp_path, max_bytes=2**20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 4 * 2**20


def test_a_fifo_never_blocks(seed_dir: Path) -> None:
    """Nobody writes to the fifo: opening it for reading the ordinary way would hang here."""
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"seed\.not_a_file"):
        read_seed_reference(str(seed_dir / "pipe"), seed_dir=seed_dir, max_bytes=MAX_BYTES)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("reference", "local"),
    [
        ("bundled:x.txt", True),
        ("BUNDLED:x.txt", True),
        ("file:///etc/passwd", True),
        ("/etc/passwd", True),
        ("./x.txt", True),
        ("x.txt", True),
        ("https://x.kz/rss", False),
        ("http://x.kz/a.txt", False),
        ("ftp://x.kz/a.txt", False),
    ],
)
def test_local_references_are_told_from_web_addresses(reference: str, local: bool) -> None:
    assert is_local_reference(reference) is local
