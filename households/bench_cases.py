"""`make bench` cases for household pages on 200,000 households."""

CASES = [
    ("households: to visit, member", "member", "/households/to-visit/", 0.5),
    ("households: my team coverage, leader", "leader", "/households/coverage/mine/", 0.5),
    ("households: list, office, page 1", "office", "/households/", 1.0),
    ("households: city coverage, office", "office", "/households/coverage/", 3.0),
    ("households: unpaired poor, office", "office", "/households/unpaired/", 1.0),
]
