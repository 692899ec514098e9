"""Where Branchwise keeps its settings and state, and the recent-files list.

Settings are an INI file under ``platformdirs.user_config_dir("branchwise")``;
autosaves live under ``platformdirs.user_state_dir("branchwise")``. The
environment variables ``BRANCHWISE_CONFIG_DIR`` and ``BRANCHWISE_STATE_DIR``
override both (tests point them at a temporary folder).
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP_NAME = "branchwise"
MAX_RECENT = 10


def config_dir() -> Path:
    """The folder of the settings file (created on demand)."""
    override = os.environ.get("BRANCHWISE_CONFIG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def state_dir() -> Path:
    """The folder of autosaves and other state (created on demand)."""
    override = os.environ.get("BRANCHWISE_STATE_DIR")
    folder = Path(override) if override else Path(platformdirs.user_state_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QSettings:
    """The application's QSettings, an INI file in :func:`config_dir`."""
    return QSettings(str(config_dir() / "branchwise.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[Path]:
    """Recently opened or saved plans, newest first (files that still exist)."""
    value = settings().value("recent/files", [])
    if isinstance(value, str):  # QSettings gives a bare string for one entry
        value = [value]
    return [Path(p) for p in (value or []) if p and Path(p).exists()]


def add_recent_file(path: str | Path) -> None:
    """Put ``path`` at the top of the recent files."""
    path = Path(path).resolve()
    files = [path] + [p for p in recent_files() if p.resolve() != path]
    settings().setValue("recent/files", [str(p) for p in files[:MAX_RECENT]])


def clear_recent_files() -> None:
    """Forget the recent files."""
    settings().setValue("recent/files", [])
