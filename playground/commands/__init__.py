"""Headless subcommands of the ``playground`` command, one module each."""
