"""Search documents follow every change of what they describe (search.index)."""
