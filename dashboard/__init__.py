"""The web dashboard for moderators and ministries (``harmline dashboard``): sign-in with
Telegram, then read-only pages scoped to the viewer's role and countries, in their language.
An adapter like ``handlers``: it reads through the repositories and the summaries' builder."""
