"""Dockable panels of the main window, one per file (add them with ``MainWindow.add_panel``)."""
