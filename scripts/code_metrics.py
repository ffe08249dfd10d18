"""Print the code's shape: modules per folder, the largest functions and modules.

    python scripts/code_metrics.py [ROOT]     # ROOT defaults to the project (any checkout works)

Python functions are measured from the `def` line (decorators excluded) to their last line;
JavaScript modules by line count only.
"""
from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path
from typing import List, Tuple

PACKAGES = ("coach", "actions")


def python_files(root: Path) -> List[Path]:
    return sorted(p for pkg in PACKAGES for p in (root / pkg).rglob("*.py") if "__pycache__" not in p.parts)


def functions(path: Path) -> List[Tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.end_lineno - node.lineno + 1, node.name) for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno]


def main(argv: List[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    files = python_files(root)
    per_folder = Counter(str(p.parent.relative_to(root)) for p in files if p.name != "__init__.py")
    print("modules per folder (excluding __init__.py):")
    for folder, count in sorted(per_folder.items()):
        print(f"  {folder:<28} {count}")
    sized = sorted(((len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(root))) for p in
                    files + sorted((root / "web").rglob("*.js"))), reverse=True)
    print("largest modules (lines):", ", ".join(f"{name} {n}" for n, name in sized[:3]))
    funcs = sorted(((n, f"{p.relative_to(root)}:{name}") for p in files for n, name in functions(p)),
                   reverse=True)
    print("largest functions (lines):", ", ".join(f"{name} {n}" for n, name in funcs[:3]))
    print(f"functions over 40 lines: {sum(1 for n, _ in funcs if n > 40)}; "
          f"modules over 400 lines: {sum(1 for n, _ in sized if n > 400)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
