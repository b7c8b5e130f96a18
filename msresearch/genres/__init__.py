"""Reading each genre: clean text into the units it commits to (lists into items, work reports
into sections and sentences)."""

# The genres read as work reports (sections and sentences, ``genres.work_reports``); every
# other genre is read as a list of items (``genres.lists``).
REPORT_GENRES = ("work_report",)
