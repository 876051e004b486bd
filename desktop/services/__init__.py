"""Use cases, one module per register. Each opens its own session, works in one transaction and returns
plain frozen dataclasses. Imports nothing of Qt."""
