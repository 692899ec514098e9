"""packaging/quickstart.sh as a new user meets it (issue 10 #15): one line per step, pip's
errors when pip fails, and a clear message (exit 2) instead of Qt's xcb abort without a display.

The script runs in a copy of the checkout's set-up files with stand-ins for
dpkg-query (every library present), the venv's python (pip) and the
`branchwise` launcher, so nothing is installed and no window opens.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "packaging" / "quickstart.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A checkout with .venv already set up (pip is not run unless the stamp is stale)."""
    root = tmp_path / "checkout"
    (root / "packaging").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "packaging" / "quickstart.sh")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    executable(bin_dir / "python", f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    executable(bin_dir / "branchwise", "#!/bin/sh\necho \"STARTED branchwise $*\"\n")
    stamp = root / ".venv" / ".branchwise-installed"
    stamp.touch()
    later = time.time() + 10
    os.utime(stamp, (later, later))
    tools = tmp_path / "tools"
    tools.mkdir()
    executable(tools / "dpkg-query", "#!/bin/sh\nprintf 'install ok installed'\n")
    return root


def run(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ["PATH"] = f"{checkout.parent / 'tools'}{os.pathsep}{environ.get('PATH', '')}"
    environ.update(env)
    return subprocess.run(["bash", str(checkout / "packaging" / "quickstart.sh"), *args], cwd=checkout,
                          env=environ, capture_output=True, text=True, timeout=120)


def test_app_without_a_display_says_what_to_do_and_exits_2(checkout):
    result = run(checkout, "app")
    assert result.returncode == 2
    assert "STARTED" not in result.stdout                     # Qt was never started
    assert "no display" in result.stderr
    assert "DISPLAY" in result.stderr and "ssh -X" in result.stderr
    assert ".venv/bin/branchwise evaluate" in result.stderr    # what works without one
    assert "xcb" not in result.stderr


def test_app_with_a_display_or_offscreen_starts_the_app_on_the_sample(checkout):
    shown = run(checkout, "app", DISPLAY=":99")
    assert shown.returncode == 0, shown.stderr
    assert "STARTED branchwise resources/samples/peace-process.bwplan" in shown.stdout
    offscreen = run(checkout, "app", "mine.bwplan", QT_QPA_PLATFORM="offscreen")
    assert "STARTED branchwise mine.bwplan" in offscreen.stdout


def test_one_line_per_step(checkout):
    result = run(checkout, "app", DISPLAY=":99")
    steps = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert [line[:5] for line in steps] == ["[1/3]", "[2/3]", "[3/3]"]
    assert "System libraries: all present" in steps[0]
    assert all(len(line) < 200 for line in result.stdout.splitlines())


def test_pip_errors_stay_visible_when_pip_fails(checkout):
    (checkout / ".venv" / ".branchwise-installed").unlink()
    executable(checkout / ".venv" / "bin" / "python",
               "#!/bin/sh\n"
               "case \"$*\" in *'-e'*) echo 'Collecting numpy'; "
               "echo 'ERROR: No matching distribution found for numpy>=1.26' >&2; exit 1;; esac\n"
               "echo 'Requirement already satisfied: pip'\n")
    result = run(checkout, "app", DISPLAY=":99")
    assert result.returncode == 1
    assert "Installing Branchwise" in result.stdout
    assert "Requirement already satisfied" not in result.stdout     # pip's noise stays in the log
    assert "ERROR: No matching distribution found for numpy>=1.26" in result.stderr
    assert "STARTED" not in result.stdout


def test_the_readme_lists_the_system_libraries_the_script_installs():
    readme = (ROOT / "README.md").read_text("utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    script = SCRIPT.read_text("utf-8")
    for lib in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxcb-shape0", "libxcb-randr0",
                "libxcb-render-util0", "libxcb-image0", "libxcb-xinerama0", "libxkbcommon-x11-0",
                "poppler-utils", "librsvg2-bin"):
        assert lib in script, lib
        assert lib in quick, lib
