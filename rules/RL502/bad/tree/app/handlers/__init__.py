"""Handlers, one module per API version (``app.handlers.v1`` was ``app.handlers.old_name``)."""
