"""Run every benchmark (`make bench`): each bench_*.py module's main(), one after another.
The province on PostgreSQL runs only when named (`make bench-postgresql`): it needs Debian's
PostgreSQL and builds 10 million responses."""
import importlib
import pkgutil
import sys
from pathlib import Path


ON_REQUEST = {"bench_postgresql"}


def main():
    only = set(sys.argv[1:])
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        wanted = module.name in only if only else module.name not in ON_REQUEST
        if module.name.startswith("bench_") and wanted:
            print(f"\n===== {module.name} =====", flush=True)
            importlib.import_module(f"bench.{module.name}").main([])


if __name__ == "__main__":
    main()
