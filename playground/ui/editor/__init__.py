"""The canvas editor: scene and items mirroring the graph, undo commands, palette, view."""
