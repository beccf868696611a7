__all__ = ["registry", "state", "views"]
