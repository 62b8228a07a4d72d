"""The bottom floor: periods, the export log, role predicates and notifications, used by every app."""
