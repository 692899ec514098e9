"""Working with others: diff, three-way merge, the report, the map of tracks, the live walk."""
