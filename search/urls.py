from django.urls import path

from . import views

app_name = "search"

# French addresses in both languages, as the rest of the site (/recherche/ and /en/recherche/).
urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("recherche/suggestions/", views.suggestions, name="suggestions"),
]
