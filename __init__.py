"""harmline: a Telegram bot through which citizens of the ASEAN countries report online scams,
illegal online gambling and fraudulent content to their national contact point.

The checkout's root is this package (pyproject.toml maps it), so ``storage/`` is
``harmline.storage``. Layers, lowest first (.importlinter enforces them): the domain (reports,
routing, moderation rules, summaries, i18n, settings) <- the services (intake, moderation,
delivery, updates) <- the adapters (storage, channels, handlers, ocr, operations) <- the
composition root (bot.py) <- the command line (cli.py). The demo and its loopback Bot API server
sit above all of them and nothing in the product imports them.
"""
