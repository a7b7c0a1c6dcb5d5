"""Application services: what harmline does with a report, a decision, a screenshot or a week,
written against the storage interface (``harmline.repositories``), never against SQL or Telegram.
The composition root (bot.py) gives them a store; the handlers and channels call them."""
