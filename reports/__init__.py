"""evalaware reports: Inspect logs → tidy pandas tables → HTML / Markdown / CSV. Never calls a model."""
