"""Quality commands: measure the detectors on the labelled corpora in tests/corpus."""
