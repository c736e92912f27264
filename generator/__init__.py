"""Mujaz: a static site generator for bilingual, Arabic-first news digests."""

__version__ = "0.1.0"
