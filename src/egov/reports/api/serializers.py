"""Shapes of the scorecard in the API (documentation for the OpenAPI schema)."""

from rest_framework import serializers


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField()
    weight = serializers.FloatField(help_text="Maximum points of the indicator.")
    source = serializers.ChoiceField(choices=["summary", "catalog", "untracked"])
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    has_data = serializers.BooleanField(help_text="False when the denominator is zero.")
    percent = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="Null when there is no data.")


class GroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True)
    attainable = serializers.FloatField(help_text="Points of the indicators with data.")
    indicators = IndicatorSerializer(many=True)


class ScorecardSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    agency = serializers.CharField(allow_null=True, help_text="Agency code; null: province/level.")
    level = serializers.CharField(allow_null=True)
    total = serializers.FloatField(allow_null=True)
    attainable = serializers.FloatField()
    index = serializers.FloatField(allow_null=True, help_text="total / attainable × 100.")
    refreshed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the dossier figures were last summarised."
    )
    groups = GroupSerializer(many=True)


def card_body(card: dict) -> dict:
    scope, period = card["scope"], card["period"]
    return {
        "period": period.code,
        "start": period.start,
        "end": period.end,
        "agency": scope.agency.code if scope.agency else None,
        "level": scope.level,
        "total": card["total"],
        "attainable": card["attainable"],
        "index": card["index"],
        "refreshed_at": card["refreshed_at"],
        "groups": [
            {
                **{k: group[k] for k in ("code", "points", "score", "attainable")},
                "name": str(group["name"]),
                "indicators": [
                    {
                        **{k: v for k, v in r.items() if k not in ("name", "formula", "drill")},
                        "name": str(r["name"]),
                        "formula": str(r["formula"]),
                    }
                    for r in group["indicators"]
                ],
            }
            for group in card["groups"]
        ],
    }
