"""Prints, as one JSON object, the settings that point a server in the folder given as
the first argument at the test backend chosen by BOXOFFICE_TEST_BACKEND (the same
database-per-folder and Redis-database-per-server scheme as the integration tests):
{} for the embedded backend; for `production`, a fresh migrated MariaDB database and
a Redis database number of its own."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "integration"))

import harness  # noqa: E402  (tests/integration/harness.py)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: backend_env.py FOLDER\n")
        return 2
    print(json.dumps(harness.backend_env(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
