"""`make bench` cases for the ledger, reports and compliance pages."""

CASES = [
    ("reports: period at a glance, leader", "leader", "/reports/", 0.5),
    ("reports: ledger, office", "office", "/reports/ledger/", 1.0),
    ("reports: report status, office", "office", "/reports/reports/", 1.0),
    ("reports: compliance, office", "office", "/reports/compliance/", 2.0),
]
