"""Policy descriptions in Chinese, for the office that edits them (issue 13, item 4).

The rows are seeded by four apps; this top-floor migration runs after all of them and
rewrites only descriptions still in the seeded English, so an office edit is kept.
"""

from django.db import migrations

DESCRIPTIONS = {
    "attachment_max_mb": "照片或文档的最大大小（MB）",
    "attendance_checkin_required": "是否要求每日签到（1 要求，0 仅作佐证）",
    "attendance_daily_allowance": "每实际驻村一天的补助（元）",
    "attendance_min_service_days": "每名干部每月最少在岗天数",
    "attendance_official_counts": "因公外出是否计为在岗天数（1 是，0 否）",
    "collective_projects_min": "每村稳定的集体经济项目数",
    "export_async_rows": "超过此行数的导出转入后台运行",
    "key_visits_per_quarter": "重点户每季度走访次数",
    "leave_overdue_hours": "请假审批每一步超过此小时数即为超时",
    "pairing_term_years": "单位与苏木乡镇结对的年限",
    "practical_project_min_share_pct": "惠及本村农牧户的比例（%）",
    "practical_projects_min_per_year": "每年办理的民生实事数",
    "report_deadline_days": "报告期结束后多少天内须提交报告",
    "report_reminder_days": "截止日前多少天提醒队长",
    "research_reports_min_per_year": "每名干部每年调研报告数",
    "service_days_min_per_week": "每周固定服务日天数",
    "sheet_submit_due_day": "每月几日前须提交上月考勤表",
    "study_reminder_day": "每月几日提醒学习次数不足的工作队",
    "study_sessions_min_per_month": "每月集体学习次数",
    "team_min_members": "工作队除队长外至少需要的队员数",
    "team_term_years": "工作队驻村任期（年）",
    "term_ending_warning_days": "任期或保险到期前多少天提示",
    "trainings_min_per_year": "每年为群众举办的培训次数",
    "visit_initial_days": "进驻后多少天内走访每一户",
    "visits_per_year": "每户每年走访次数",
    "work_plan_deadline_days": "每年开始后多少天内须提交工作计划",
    "zone_red_income_below": "人均收入低于此数为红色预警",
    "zone_yellow_income_below": "人均收入低于此数为黄色预警",
}


def describe(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for policy in Policy.objects.filter(key__in=DESCRIPTIONS):
        if policy.description.isascii():  # still the seeded English
            policy.description = DESCRIPTIONS[policy.key]
            policy.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_seed_policies_and_tags"),
        ("attendance", "0003_leave_min_present_policy"),
        ("households", "0002_seed_policies"),
        ("reports", "0004_attachment_policy"),
    ]
    operations = [migrations.RunPython(describe, migrations.RunPython.noop)]
