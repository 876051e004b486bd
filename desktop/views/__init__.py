"""Qt widgets, dialogs and table models: the only layer that imports PySide6."""
