"""The domain's codes in words: what the console shows and, below the UI layers, what the
portal may write (this package imports only the domain, so the portal can use it)."""

from __future__ import annotations

from decimal import Decimal

from ..domain.analytics import Anomaly, NightFlow, Spike
from . import cubic_metres, decimal, n_

_WHOLE = Decimal(1)


def anomaly_text(anomaly: Anomaly, language: str | None = None) -> str:
    """A night flow or a spike in `language`, else the console's."""
    params = anomaly.params
    if isinstance(params, NightFlow):
        return n_(
            "Przepływ w każdej godzinie nocnej (01:00–05:00) przez {count} noc, "
            "co najmniej {least} l/h. Możliwy wyciek.",
            "Przepływ w każdej godzinie nocnej (01:00–05:00) przez {count} kolejnych nocy, "
            "co najmniej {least} l/h. Możliwy wyciek.",
            params.nights,
            language=language,
            least=params.least_per_hour,
        )
    assert isinstance(params, Spike)
    return n_(
        "Zużycie {volume} m³ w {count} dzień, średnio {per_day} l/dzień wobec zwykłych "
        "{usual} l/dzień.",
        "Zużycie {volume} m³ w {count} dni, średnio {per_day} l/dzień wobec zwykłych "
        "{usual} l/dzień.",
        params.days,
        language=language,
        volume=cubic_metres(anomaly.litres, unit=False, language=language),
        per_day=_whole(Decimal(anomaly.litres) / params.days, language),
        usual=_whole(params.usual_per_day, language),
    )


def _whole(value: Decimal, language: str | None) -> str:
    return decimal(value.quantize(_WHOLE), language)
