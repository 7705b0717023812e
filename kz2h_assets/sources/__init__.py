"""The source stage: transcripts and paper text, fetched once and stored."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
"""Sample sources written for this project (never copies of the real ones): what `make demo` and CI use."""
