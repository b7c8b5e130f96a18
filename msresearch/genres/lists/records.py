"""The records segmentation produces: items, declared counts, project changes, references."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """One item of a document; ``start``/``end`` are offsets into the clean text."""

    printed_number: str
    section: str
    title: str
    start: int
    end: int
    procedural: bool
    lead_units: tuple[str, ...] = ()
    partner_units: tuple[str, ...] = ()
    deadline: str = ""
    status: str = ""
    source: str = "body"  # body | table
    subitems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declared:
    """A count the document declares ("50项民生实事", "就业促进（3项）") and what was found."""

    scope: str  # document | section
    label: str
    declared: int
    found: int


@dataclass(frozen=True)
class ProjectChange:
    """A project named in the body's lists of new / improved / exited / continued projects."""

    status: str
    project: str
    matched_title: str  # the item it was matched to; empty when it has no row


@dataclass(frozen=True)
class Reference:
    """A reference to another document by title, with its document number when printed."""

    title: str
    doc_number: str
    start: int
    end: int


@dataclass(frozen=True)
class Segmentation:
    """Everything segmentation finds in one document.

    ``item_level`` names the numbering level the items were taken from ("1.", "（一）",
    "table", …) and ``item_level_reason`` says which rule chose it; ``numbering_gaps`` lists
    jumps in printed numbering ("3.→5."), so that no item is lost silently."""

    items: list[Item]
    declared: list[Declared] = field(default_factory=list)
    changes: list[ProjectChange] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    item_level: str = ""
    item_level_reason: str = ""
    numbering_gaps: tuple[str, ...] = ()
