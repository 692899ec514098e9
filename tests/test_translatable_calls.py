"""Every user-visible string of the window goes through Qt's translation (issue 14).

A static check over the source of app/ and widgets/ (no window needed):

1. Text given straight to a Qt call a person reads (``setText``,
   ``setToolTip``, ``QLabel(...)``, ``QMessageBox.warning``, ``addAction`` ...)
   must not be a string literal or an f-string: it comes from
   ``translate``/``tr`` (or a ``QT_TRANSLATE_NOOP`` table translated where shown).
2. A sentence built with an f-string (three or more words) in the window's
   modules must sit inside ``translate``/``fill`` too: an f-string cannot be
   looked up in a catalogue, and counts must be whole sentences
   ("1 late response" / "%1 late responses"), not a word with an "s" appended.

The command-line modules (app/cli*.py, app/output.py), the developer's
gallery and SVG markup are not the window's text and are left out; what
remains outside is the :data:`ALLOWED` list, each with its reason.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Qt calls whose string arguments a person reads (or hears: accessible names).
TEXT_CALLS = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip", "setWhatsThis",
    "setAccessibleName", "setAccessibleDescription", "setTitle", "setLabelText", "setInformativeText",
    "setDetailedText", "setTabText", "setTabToolTip", "showMessage", "addAction", "addMenu", "addItem",
    "addTab", "insertTab", "addRow", "setHorizontalHeaderLabels", "setHeaderLabels",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu", "QMessageBox",
    "information", "warning", "critical", "question", "about",
    "message",  # widgets.analysis.plot_export.message: the text in an empty plot
    # plots: titles (FigureData.add_plot, the views' _titled), axis labels, legend entries (addItem)
    "add_plot", "setLabel", "_titled",
}
#: ``setLabel("bottom", text)``: the axis a label goes on is a name, not words.
AXES = {"left", "right", "top", "bottom"}
#: Receivers whose ``warning``/``info`` are the log, not a message box.
LOGGERS = {"log", "logger", "_log", "LOG", "logging", "warnings"}
#: Calls inside which an f-string is fine: the translation's arguments, or style sheets.
TRANSLATING = {"translate", "tr", "fill", "QT_TRANSLATE_NOOP", "setStyleSheet", "styled"}

#: Not the window's text: the command line (its own output, locale-free by design),
#: the developer's gallery, SVG markup, the main entry's usage line.
SKIPPED = ("app/cli", "app/output.py", "app/gallery", "app/main.py", "widgets/svg_writer.py")

#: (file, function, start of the text) -> why it stays as it is.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("app/keyboard.py", "__init__", "actions['to_canvas'].text()"):
        "the action's own (translated) text with its shortcut appended: no words of its own",
    ("app/gui.py", "run", "branchwise: cannot open"):
        "printed to the terminal before any window exists, like the command line's own errors",
    ("app/help.py", "about_text", "<p><small>Python"):
        "names and versions of the software it runs on: no words to translate",
    ("widgets/analysis/outcome_view.py", "draw_risk", "best option at {decision}"):
        "a cell of the CSV export: data for other programs, locale-free like --json",
}


def _name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    return f.id if isinstance(f, ast.Name) else None


def _is_logger(call: ast.Call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in LOGGERS


def _text_words(text: str) -> int:
    text = re.sub(r"<[^>]*>", " ", text)  # markup around translated parts has no words of its own
    return sum(1 for w in text.split() if any(c.isalpha() for c in w))


def _words(node: ast.AST) -> int:
    """Words of text written into ``node`` (a literal, an f-string, a sum or choice of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _text_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return _text_words(" ".join(v.value if isinstance(v, ast.Constant) else "0" for v in node.values))
    if isinstance(node, ast.BinOp):
        return _words(node.left) + _words(node.right)
    if isinstance(node, ast.IfExp):
        return max(_words(node.body), _words(node.orelse))
    return 0


def _files():
    for folder in ("app", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(SKIPPED):
                yield rel, ast.parse(path.read_text("utf-8"))


def _context(tree: ast.AST):
    """node -> (enclosing function name, names of the calls around it, inside raise or log)."""
    found = {}

    def visit(node, function, calls, excused):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function, calls, excused = node.name, (), False
        if isinstance(node, ast.Raise):
            excused = True  # exception text: shown through a translated message, or a programming error
        if isinstance(node, ast.Call):
            if _is_logger(node):
                excused = True
            calls = calls + (_name(node) or "",)
        found[node] = (function, calls, excused)
        for child in ast.iter_child_nodes(node):
            visit(child, function, calls, excused)

    visit(tree, "<module>", (), False)
    return found


def _allowed(rel: str, function: str, node: ast.AST) -> bool:
    text = ast.unparse(node)
    return any(rel == f and function == fn and start in text for (f, fn, start) in ALLOWED)


def _untranslated() -> list[str]:
    problems = []
    for rel, tree in _files():
        context = _context(tree)
        for node in ast.walk(tree):
            function, calls, excused = context[node]
            if isinstance(node, ast.Call) and _name(node) in TEXT_CALLS and not _is_logger(node):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in AXES:
                        continue
                    if _words(arg) and not _allowed(rel, function, arg):
                        problems.append(f"{rel}:{node.lineno} {_name(node)}({ast.unparse(arg)[:70]})")
            elif isinstance(node, ast.JoinedStr) and _words(node) >= 3 and not excused \
                    and not TRANSLATING.intersection(calls) and not _allowed(rel, function, node):
                problems.append(f"{rel}:{node.lineno} in {function}: {ast.unparse(node)[:70]}")
    return problems


def test_user_visible_text_goes_through_translate():
    problems = _untranslated()
    assert not problems, "text a person reads that no catalogue can translate:\n" + "\n".join(problems)


def test_the_check_sees_literals_and_f_strings(tmp_path):
    """The check itself: a literal label, an f-string sentence, a plural made with an "s",
    a plot title and a legend entry are found."""
    sample = ast.parse(
        "def f(n, label):\n"
        "    label.setText('Iterations')\n"
        "    QMessageBox.warning(None, 'Cannot save', f'{n} things were not saved')\n"
        "    note = f'{n} thing{\"s\" if n != 1 else \"\"} left out of the import'\n"
        "    label.setText(translate('X', 'Seed'))\n"
        "    log.warning('not shown %s', n)\n"
        "    add_plot(figure, 'Path ends', '', '% of iterations')\n"
        "    legend.addItem(bars, 'failure exposure')\n")
    context = _context(sample)
    hits = [n for n in ast.walk(sample)
            if (isinstance(n, ast.Call) and _name(n) in TEXT_CALLS and not _is_logger(n)
                and any(_words(a) for a in n.args))
            or (isinstance(n, ast.JoinedStr) and _words(n) >= 3 and not context[n][2]
                and not TRANSLATING.intersection(context[n][1]))]
    assert sorted(getattr(h, "lineno", 0) for h in hits) == [2, 3, 3, 4, 7, 8]


def test_every_allowance_still_matches_something():
    """An allowance whose text is gone would hide the next string written there."""
    used = set()
    for rel, tree in _files():
        context = _context(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.JoinedStr, ast.Constant, ast.BinOp)):
                function = context[node][0]
                for key in ALLOWED:
                    if key[0] == rel and key[1] == function and _allowed(rel, function, node):
                        used.add(key)
    assert used == set(ALLOWED)
