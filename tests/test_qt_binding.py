"""Guard against a broken Qt binding: PySide6-Essentials 6.12.0 on CPython 3.11
drops a reference to None on every call of a void method, and a GUI session
aborts after a few thousand calls ("none_dealloc"). pyproject.toml pins it out."""
import sys

from PySide6.QtCore import QObject


def test_void_calls_keep_none_alive():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(500):
        obj.setObjectName("x")
    assert sys.getrefcount(None) >= before - 10


def test_emit_keeps_true_alive():
    from PySide6.QtCore import Signal

    class Probe(QObject):
        flag = Signal(bool)

    probe = Probe()
    probe.flag.connect(lambda value: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        probe.flag.emit(True)
    assert sys.getrefcount(True) >= before - 10
