"""Confirmed reports and their indicators for investigators and CERTs: CSV, JSON Lines, STIX 2.1."""
