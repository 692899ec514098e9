"""Analyses on top of the engine: sensitivity, value of information, league table, two criteria."""
