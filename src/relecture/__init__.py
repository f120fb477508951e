"""relecture: a bilingual translation-review workbench for the terminal."""

# The one place the version is declared (pyproject.toml reads it from here).
__version__ = "0.1.0"
