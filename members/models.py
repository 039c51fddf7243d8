"""Members' models arrive with the membership issue; the roles live in `roles.py` for now."""
