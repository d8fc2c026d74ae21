from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from operations.selectors import health_report


def home(request):
    if request.user.is_authenticated:
        return redirect("network:dashboard")
    return render(request, "home.html")


@never_cache
def healthz(request):
    """For load balancers: 200 and a short body while the database answers (503 when it doesn't).
    With `Accept: application/json`, the worker's, the scheduler's and each periodic job's state."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        detailed = "application/json" in request.headers.get("Accept", "")
        report = health_report(with_jobs=detailed)
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if detailed:
        return JsonResponse(report)
    return HttpResponse(report["status"], content_type="text/plain")


def hello(request):
    """The benchmark's reference: the same middleware stack, no database, no template."""
    return HttpResponse("Hello, Cercle.", content_type="text/plain")
