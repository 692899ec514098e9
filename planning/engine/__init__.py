"""Numbers: a track compiled to arrays, its rollback, readiness, decision rules, Monte Carlo, layout."""
