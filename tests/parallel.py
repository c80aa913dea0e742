"""How `make test` spreads the suite over its workers (pytest-xdist, ``-n auto``).

Every test is a unit of its own, as with xdist's ``--dist load``, except the tests of a
folder whose tests share an outside service and empty it: ``tests/deployed/`` shares one
Redis database and one PostgreSQL database, so its tests go to one worker together and run
one after another. (xdist's own ``xdist_group`` mark does not work with pytest 9, which no
longer lets xdist rename a test to carry its group: docs/testing.md.)
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

SHARED_SERVICE_FOLDERS = ("tests/deployed/",)


class SharedServicesScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        for folder in SHARED_SERVICE_FOLDERS:
            if nodeid.startswith(folder):
                return folder
        return nodeid
