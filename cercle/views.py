from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render


def home(request):
    if request.user.is_authenticated:
        return redirect("network:dashboard")
    return render(request, "home.html")


def healthz(request):
    """For load balancers and uptime checks: the process answers and the database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def hello(request):
    """The benchmark's reference: the same middleware stack, no database, no template."""
    return HttpResponse("Hello, Cercle.", content_type="text/plain")
