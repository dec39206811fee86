"""One recipe per domain; each reads its data file and is idempotent on its own."""
