"""Coding: units into policy domains (the codebook, the coder, its tokenizer, agreement)."""
