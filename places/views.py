from django.shortcuts import render

from places.selectors import cities_matching


def city_suggestions(request):
    """HTMX fragment: the towns matching what the member is typing."""
    query = request.GET.get("city_query", "")
    return render(request, "places/_city_suggestions.html", {"cities": cities_matching(query=query)})
