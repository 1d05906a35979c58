"""The Visualize workspace: look inside the project's network or a pretrained one (install.py puts it in the window)."""
