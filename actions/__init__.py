"""Rasa custom actions. Thin by design: read the tracker, call coach.*, dispatch replies."""
