"""The Lab workspace: things to do that show how training works (install.py puts it in the window, pages.py lists
its pages)."""
