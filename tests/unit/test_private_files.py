"""The console's private files: 0600 from creation, whole or not at all, nothing on a kiosk."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ibok_tui.backends.private_files import forget, private_dir, read_private, write_private


def test_a_kiosk_gets_no_folder(tmp_path: Path) -> None:
    assert private_dir("demo/100001", kiosk=True, root=tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_the_root_does_not_list_whose_folders_it_holds(tmp_path: Path) -> None:
    root = tmp_path / "data" / "private"
    private_dir("https://ibok.example.pl 100001", kiosk=False, root=root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_the_scope_cannot_name_a_path_outside_the_root(tmp_path: Path) -> None:
    folder = private_dir("../../etc/passwd", kiosk=False, root=tmp_path / "root")
    assert folder is not None
    assert folder.parent == tmp_path / "root"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_file_is_the_users_alone_and_replaced_whole(tmp_path: Path) -> None:
    folder = private_dir("https://ibok.example.pl 100001", kiosk=False, root=tmp_path)
    assert folder is not None
    target = folder / "outbox.json"
    assert read_private(target) is None
    write_private(target, b"first")
    write_private(target, b"second")
    assert read_private(target) == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["outbox.json"]


def test_a_failed_write_leaves_the_previous_version(tmp_path: Path) -> None:
    folder = private_dir("p", kiosk=False, root=tmp_path)
    assert folder is not None
    target = folder / "cache.json"
    write_private(target, b"kept")
    with pytest.raises(TypeError):
        write_private(target, "not bytes")  # type: ignore[arg-type]
    assert read_private(target) == b"kept"
    assert [p.name for p in folder.iterdir()] == ["cache.json"]
    forget(folder)
    assert not folder.exists()
