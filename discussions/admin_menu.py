"""The moderators' entries in the Wagtail admin (helper C)."""
