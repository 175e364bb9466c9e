"""Emulators behind ``chatgpt_sdk.testing``: the Codex backend, the OAuth issuer, a loopback server."""
