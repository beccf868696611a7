"""Fact modules: one family of facts each, collected after the summariser's walk."""
