"""The build: the stages run over a corpus, cached, in parallel, checked against schemas."""
