import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

ROOT = Path(__file__).resolve().parents[1]
# the shared contract folder sits beside the checkout (/work/shared); a worktree is one level deeper
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent / "shared")
SAMPLES = ROOT / "resources" / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
