"""``ReportSettings``: the report's options, including the licence-decision ones.

:class:`usage.model.ReportOptions` holds the thresholds shared with the readers;
the settings below belong to the report alone, so they extend it here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from usage.model import ReportOptions


@dataclass(frozen=True)
class ReportSettings(ReportOptions):
    """``licence_cost``: cost of one licence for the period (None: no cost table).
    ``suppress_cells``: also hide counts below ``min_group`` inside every cross-tabulation.
    """

    licence_cost: float | None = None
    suppress_cells: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        cost = self.licence_cost
        if cost is not None and not (math.isfinite(cost) and cost >= 0):
            raise ValueError(f"ReportSettings.licence_cost must be a cost >= 0, got {cost}")

    @classmethod
    def of(cls, options: ReportOptions) -> ReportSettings:
        """The settings for plain options (the report-only settings at their defaults)."""
        if isinstance(options, cls):
            return options
        return cls(**{f.name: getattr(options, f.name) for f in fields(ReportOptions)})
