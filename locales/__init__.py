"""gettext catalogues: ``<locale>/LC_MESSAGES/harmline.po`` (managed with pybabel, see README)."""
