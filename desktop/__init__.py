"""无毒社区工作台 — the township anti-drug office's registers, offline."""

__version__ = "0.1.0"
APP_NAME = "wudu"
