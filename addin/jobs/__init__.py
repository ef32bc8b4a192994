"""The job layer: one module per job, `(tables, options) -> Results`, shared by every door."""
