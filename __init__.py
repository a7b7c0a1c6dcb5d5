"""harmline: a Telegram bot through which citizens of the ASEAN countries report online scams,
illegal online gambling and fraudulent content to their national contact point.

The checkout's root is this package (pyproject.toml maps it), so ``storage/`` is
``harmline.storage``. Layers, highest first; a layer imports only those below it (.importlinter):

    cli, demo              the command line; the demo and its loopback Bot API server
    bot                    the composition root
    handlers               Telegram in: parse an update, call a service, render the reply
    channels, updates,     Telegram and webhooks out; durable intake of updates;
      storage              the SQL (implements repositories)
    services, delivery     intake, moderation, notices, screenshots, summaries; the outbox worker
    summaries              a week's figures, charts and files
    repositories           the storage interface (Protocols): unit of work and repositories
    exports, operations,   export records; metrics; reading screenshots
      ocr
    reports, routing,      the domain: what a report is and how it is read, who receives it,
      moderation,            who moderates, configuration, languages and catalogues
      settings, i18n, locales
"""
