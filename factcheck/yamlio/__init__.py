"""The YAML layer: the exact reader with every position, the fast reader, where claims begin and end, splicing
changes into YAML text, and whether text is already in fmt's layout."""
