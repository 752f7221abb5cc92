"""Tooling around the seller_standing dbt project (everything dbt itself cannot do)."""

__version__ = "0.1.0"
