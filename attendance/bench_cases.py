"""`make bench` cases for attendance pages: (name, login, url, goal in seconds)."""

CASES = [
    ("attendance: my month, member", "member", "/attendance/", 0.5),
    ("attendance: team month grid, leader", "leader", "/attendance/team/", 0.5),
    ("attendance: inbox, supervisor", "supervisor", "/attendance/inbox/", 0.5),
    ("attendance: city compliance, office", "office", "/attendance/compliance/", 1.0),
    ("attendance: allowance summary, office", "office", "/attendance/allowance/", 1.0),
]
