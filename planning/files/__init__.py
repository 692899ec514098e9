"""Plan files and what goes in and out of them: the plan file, importers, exports, whole-file checks."""
