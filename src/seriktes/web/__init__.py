"""Web domain: HTTP API (/api/v1) and the server-rendered HTML UI."""
