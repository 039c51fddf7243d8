"""Members' front-end views, one module per journey; each module exports its `urlpatterns`."""
