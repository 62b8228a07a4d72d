"""Factories for the reports app's rows."""

from __future__ import annotations

from datetime import date

import factory

from reports.models import Feedback, FeedbackCategory, LedgerKind, LedgerRecord, Report
from tests.factories import TeamFactory, UserFactory


class LedgerRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerRecord

    team = factory.SubFactory(TeamFactory)
    kind = LedgerKind.STUDY
    date = date(2026, 3, 10)
    title = factory.Sequence(lambda n: f"记录{n}")
    text = "学习笔记"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    team = factory.SubFactory(TeamFactory)
    sender = factory.SubFactory(UserFactory)
    category = FeedbackCategory.MISCONDUCT
    subject = "村干部问题线索"
    text = "某村干部优亲厚友，具体情况如下。"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    team = factory.SubFactory(TeamFactory)
    kind = "quarterly"
    period_start = date(2026, 1, 1)
    period_end = date(2026, 3, 31)
    deadline = date(2026, 4, 10)
