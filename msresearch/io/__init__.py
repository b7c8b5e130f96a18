"""Files: reading inputs, writing tables, publishing an output folder, saving figures."""
