"""Objection Coach engines: plain Python, importable and testable without Rasa running."""

def skip_tensorflow() -> None:
    """For processes that never run a model (action server, validate): spaCy's thinc imports
    TensorFlow when it is installed, which costs ~2 s and ~370 MB per process for nothing.
    Marking it absent makes that import fail fast; thinc then carries on without it."""
    import sys

    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
