from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .models import Network


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The networks the user takes part in; straight to the only one if there is one."""
    networks = list(
        Network.objects.filter(roles__user=request.user, roles__deleted_at__isnull=True).order_by(
            "name"
        )
    )
    if len(networks) == 1:
        return redirect("networks:start", network=networks[0].slug)
    return render(request, "core/home.html", {"networks": networks})


def health(request: HttpRequest) -> HttpResponse:
    """A trivial view: liveness check and the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")
