from django.http import HttpResponse
from django.template import engines

from uebergang.networks.models import PartnerName

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='de'><head><title>50</title></head><body><table>"
    "{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.valid_from }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def bare_fifty_rows(request):
    """The reference: a bare Django page listing 50 rows (no auth, no layout)."""
    rows = list(PartnerName.objects.all()[:50])
    return HttpResponse(_TEMPLATE.render({"rows": rows}))
