"""The plan itself: its objects, how a value is read, expressions, validation, edits, links between tracks."""
