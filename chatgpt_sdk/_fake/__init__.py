"""Emulators behind ``chatgpt_sdk.testing``: the Codex backend (its request rules in ``rules``),
the OAuth issuer, a loopback server."""
