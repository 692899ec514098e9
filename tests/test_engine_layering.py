"""planning/engine never imports planning/analyses (issue 11): Monte Carlo and the linked draws read
the ranged quantities from planning/engine/parameters.py, and analyses re-export them."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_engine_never_imports_the_analyses():
    found = []
    for path in sorted((ROOT / "planning" / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planning.analyses"):
                found.append(f"{path.name} imports {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{path.name} imports {a.name}" for a in node.names if a.name.startswith("planning.analyses")]
    assert found == []


def test_the_analyses_still_offer_the_ranged_quantities():
    from planning.analyses import sensitivity
    from planning.engine import parameters

    for name in ("Parameter", "compiled_parameters", "scope_values_with", "scope_values_columns",
                 "response_additions", "scenario_columns", "parse_range", "parameters"):
        assert getattr(sensitivity, name) is getattr(parameters, name)


def test_the_model_never_imports_the_analyses():
    # validate_plan's lazy calls go back to the engine only (ARCHITECTURE.md): the variables
    # of a range's ends are resolved by engine/parameters.py, not through the analyses.
    found = []
    for path in sorted((ROOT / "planning" / "model").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planning.analyses"):
                found.append(f"{path.name} imports {node.module}")
    assert found == []
