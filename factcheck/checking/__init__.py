"""The checks and quote matching: finding a quote in its source, one function per check code, verify as a
whole, and the figures a source states."""
