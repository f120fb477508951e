"""relecture: a bilingual translation-review workbench for the terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("relecture")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
