"""Read Rasa NLU YAML files (data/nlu, the held-out set) as (intent, text) pairs."""
from __future__ import annotations

from pathlib import Path
from typing import Union

import yaml


def read_examples(path: Union[str, Path]) -> list:
    """Every `- example` line of every intent block, in file order."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [(block["intent"], line[2:].strip())
            for block in data.get("nlu", []) if "intent" in block
            for line in block["examples"].splitlines() if line.startswith("- ")]
