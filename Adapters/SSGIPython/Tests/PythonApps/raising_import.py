"""A module that raises while it is imported, for the test of an import error at startup."""

raise RuntimeError("the database at db.invalid is unreachable")
