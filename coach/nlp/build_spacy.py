"""Build the blank Chinese spaCy pipeline (jieba segmenter) that SpacyNLP loads.

Built from code by the setup instead of downloaded: nothing is fetched at run time.
Usage: python -m coach.nlp.build_spacy build/spacy_zh
"""
from __future__ import annotations

import sys
from pathlib import Path

import spacy


def build(target: Path) -> Path:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.meta["name"] = "coach_zh_jieba"
    nlp.meta["description"] = "Blank zh pipeline with the jieba segmenter, built by coach.nlp.build_spacy"
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m coach.nlp.build_spacy OUTPUT_DIR", file=sys.stderr)
        return 2
    path = build(Path(argv[0]))
    print(f"[setup] built blank spaCy zh pipeline (jieba segmenter) in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
