"""Adapters that carry a report to a recipient: a Telegram chat or an HTTPS webhook."""
