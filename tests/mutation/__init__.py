"""The commit check: take each ``db.session.commit()`` out of the app in turn and show
that a test fails (docs/testing.md, "The commit check")."""
