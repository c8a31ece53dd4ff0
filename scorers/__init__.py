"""evalaware scorers: awareness detection, behaviour scoring and paired statistics."""
