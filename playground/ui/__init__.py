"""The desktop app (PySide6 + pyqtgraph). It drives playground.core and never computes itself."""
