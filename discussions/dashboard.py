"""The dashboard panel "Quoi de neuf" (helper B)."""
