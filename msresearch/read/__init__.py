"""Reading: a raw file's bytes into clean text (the manifest, decoding, saved web pages, the
cleaning rules)."""
