"""Objection Coach engines: plain Python, importable and testable without Rasa running."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
