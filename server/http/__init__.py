"""The HTTP edge: API routes, the socket upgrade, static client, health and metrics."""
