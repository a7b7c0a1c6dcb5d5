"""The report domain: what a report is, how it is taken in, classified and completed."""
