"""The learning lab: what the Lab workspace and ``playground lab`` show, as plain functions (no Qt).

Each tool of the lab is one module here (the optimizer race on 2D functions, the initialization explorer, the
learning-rate range test, …); the Lab pages in ``playground.ui.lab`` and the ``playground lab`` sub-commands
only drive them. The lab reuses the project's own code wherever it can: the NumPy backend's optimizers, the
initialization schemes, the training session.
"""
