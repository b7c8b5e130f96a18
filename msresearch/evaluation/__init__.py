"""Evaluation on hand-labelled real documents the code was not written on: how general each
genre's reader and the coder are (``lists``: items, units and codes of livelihood lists;
``work_reports``: sections and sentence codes of work reports)."""
