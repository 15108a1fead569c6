"""The pure-Python core: reading, extraction, merging. It never imports Qt."""
