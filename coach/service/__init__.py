"""The coach's use cases in plain Python (no Rasa): they build replies; actions/ only adapts them."""
