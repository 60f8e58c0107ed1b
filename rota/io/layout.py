"""The team workbook's layout, shared by its reader and its writer: sheets, columns, words."""

from __future__ import annotations

from rota.domain.problem import Pattern

TEAM_WIDTH_MOST = 50  # a Team column as wide as its longest name, up to this

TEAMS_COLUMNS = {  # the Teams sheet of a service workbook: heading -> field
    "Team": "name",
    "Minimum staff present": "min_present",
    "Minimum senior staff present": "min_senior",
    "Minimum present on duty days": "min_present_on_duty",
    "Shares duty": "shares_duty",
    "Duty groups": "duty_groups",
    "Duty workers per duty day": "duty_workers",
}
TEAM_SETTINGS = {  # label on the Team sheet -> Team field
    "Team name": "name",
    "Period start (a Monday)": "start",
    "Number of weeks": "weeks",
    "Week A starts (a Monday)": "week_a_start",
    "Minimum staff present": "min_present",
    "Minimum senior staff present": "min_senior",
    "Minimum present on duty days": "min_present_on_duty",
    "Bank holiday region": "bank_holiday_region",
    "Bank holiday on a standing day": "bank_holiday_rule",
}
OPTIONAL_SETTINGS = {
    "min_senior",
    "min_present_on_duty",
    "bank_holiday_region",
    "bank_holiday_rule",
}

STAFF_COLUMNS = {  # header -> StaffMember field
    "ID": "id",
    "Name": "name",
    "Role": "role",
    "Senior": "senior",
    "Hours per week": "hours",
    "Pattern": "pattern",
    "Fixed days off": "fixed_days_off",
    "Preferred days (ranked)": "preferred_days",
    "Cannot take": "cannot_take",
    "Agreed standing day": "agreed_day",
    "Cover buddy": "cover_buddy",
    "Caseload": "caseload",
}
REQUIRED_STAFF = ("id", "name", "hours", "pattern")  # cells that may not be left empty

DUTY_COLUMNS = {"Date": "date", "Week commencing": "week", "Note": "note"}
LEAVE_COLUMNS = {
    "Staff ID": "staff_id",
    "First day": "first_day",
    "Last day": "last_day",
    "Type": "kind",
}
REQUIRED_LEAVE = ("staff_id", "first_day", "last_day")
REQUIRED_VALUES = {*REQUIRED_STAFF, *REQUIRED_LEAVE, "team"}
OPTIONAL_COLUMNS = {"note"}  # every other column must be there, even if left empty

PATTERN_WORDS = {
    "full time": Pattern.FULL_TIME,
    "ft": Pattern.FULL_TIME,
    "9df": Pattern.NINE_DAY_FORTNIGHT,
    "nine day fortnight": Pattern.NINE_DAY_FORTNIGHT,
    "4dw": Pattern.FOUR_DAY_WEEK,
    "four day week": Pattern.FOUR_DAY_WEEK,
    "part time": Pattern.PART_TIME,
    "pt": Pattern.PART_TIME,
}
PATTERN_CHOICES = ("Full time", "9DF", "4DW", "Part time")
ROLES = (
    "Social worker",
    "Senior practitioner",
    "Advanced practitioner",
    "Team manager",
    "Assistant team manager",
    "Family support worker",
    "Newly qualified social worker",
)
SENIOR_ROLES = {
    "senior practitioner",
    "advanced practitioner",
    "team manager",
    "assistant team manager",
}
LEAVE_TYPES = ("Annual leave", "Sickness", "Training", "Other")
RULE_CHOICES = ("move", "absorb")


def normalise(text: object) -> str:
    """Lower-case words without punctuation, for matching headers and choices."""
    cleaned = "".join(c if c.isalnum() else " " for c in str(text).lower())
    return " ".join(cleaned.split())
