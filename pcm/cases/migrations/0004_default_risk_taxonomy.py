"""Give the agencies that exist already the default protection risk taxonomy."""

from django.db import migrations

from pcm.cases.taxonomy import DEFAULT_RISK_TYPES


def add_defaults(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    RiskType = apps.get_model("cases", "RiskType")
    for agency in Agency.objects.all():
        existing = set(RiskType.objects.filter(agency=agency).values_list("code", flat=True))
        RiskType.objects.bulk_create(
            RiskType(
                agency=agency, code=code, name=name, category=category, specialised_route=route
            )
            for code, name, category, route in DEFAULT_RISK_TYPES
            if code not in existing
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_consent_risktype"),
        ("accounts", "0003_agency_response_hours_high_agency_response_hours_low_and_more"),
    ]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
