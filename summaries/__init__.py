"""Weekly summaries for national contacts and ministries: figures, charts, files, schedule."""
