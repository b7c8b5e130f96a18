"""Reading each genre: clean text into the units it commits to (lists into items, work reports
into sections and sentences)."""
