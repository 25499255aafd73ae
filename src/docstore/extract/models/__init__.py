"""Models shipped with docstore (see SOURCES.md)."""
