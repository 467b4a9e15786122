"""The deterministic sample dataset, built on the real facts of data/reference/."""
