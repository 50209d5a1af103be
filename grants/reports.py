"""Background exports of grants (registered with `core.reports`)."""
