"""The curriculum the society teaches: years, modules and topics (models), the CSV import and
export (services), the committee's list (selectors, views, urls) and the demo curriculum (demo)."""
