"""Run every benchmark (`make bench`): each bench_*.py module's main(), one after another."""
import importlib
import pkgutil
import sys
from pathlib import Path


def main():
    only = set(sys.argv[1:])
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("bench_") and (not only or module.name in only):
            print(f"\n===== {module.name} =====", flush=True)
            importlib.import_module(f"bench.{module.name}").main([])


if __name__ == "__main__":
    main()
