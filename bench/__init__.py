"""Page-speed benchmark for C2 Hub (see docs/performance.md). Not part of the application."""
