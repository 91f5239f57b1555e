"""The WebSocket gateway: codec (frames ⇄ commands, no I/O), connection, hub."""
