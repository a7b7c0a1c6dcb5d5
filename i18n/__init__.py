"""gettext catalogues (``locales/``) and language negotiation."""

from i18n.catalog import Catalogs, Gettext
from i18n.languages import FALLBACK, LANGUAGES, negotiate

__all__ = ["FALLBACK", "LANGUAGES", "Catalogs", "Gettext", "negotiate"]
