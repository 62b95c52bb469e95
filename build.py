#!/usr/bin/env python3
"""Sunshine command line: ``python build.py [build|check|serve|user|feedback|cases] …``.

With no arguments it builds the bundled demo content into ``output/``.
"""

from sunshine.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
