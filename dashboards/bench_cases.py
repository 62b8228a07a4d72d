"""`make bench` cases for the workbenches and the cockpit: (name, login, url, goal in s)."""

CASES = [
    ("workbench: member", "member", "/", 0.5),
    ("workbench: leader", "leader", "/", 0.5),
    ("workbench: supervisor", "supervisor", "/", 0.5),
    ("workbench: unit", "unit", "/", 0.5),
    ("workbench: township head", "township", "/", 0.5),
    ("workbench: office", "office", "/", 0.5),
    ("cockpit: city, office", "office", "/dashboards/", 2.0),
    ("cockpit: own groups, supervisor", "supervisor", "/dashboards/", 1.0),
]
