"""Reading and writing: the versioned project file, checkpoints, code export."""
