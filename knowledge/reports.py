"""The editors' report of knowledge articles whose review is over a year old (built out by the knowledge-base work)."""
