"""gettext catalogues (``locales/``) and language negotiation."""

from harmline.i18n.catalog import Catalogs, Gettext
from harmline.i18n.languages import FALLBACK, LANGUAGES, negotiate

__all__ = ["FALLBACK", "LANGUAGES", "Catalogs", "Gettext", "negotiate"]
