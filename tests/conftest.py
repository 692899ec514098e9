import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

ROOT = Path(__file__).resolve().parents[1]
# A worktree beside the main checkout can point at the shared folder explicitly.
SHARED = Path(os.environ.get("BRANCHWISE_SHARED") or ROOT.parent / "shared")
SAMPLES = ROOT / "resources" / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402 - after the environment above is set


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Settings, recent files and autosaves in the test's own folder, never the user's."""
    monkeypatch.setenv("BRANCHWISE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRANCHWISE_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def plan_file(tmp_path):
    """A copy of the shared minimal example in the test's own folder, to open, change and save."""
    import shutil

    target = tmp_path / "minimal.bwplan"
    shutil.copy(SHARED / "examples" / "minimal.bwplan", target)
    return target
