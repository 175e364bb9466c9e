"""Emulators behind ``chatgpt_sdk.testing``: the Codex backend (its request rules in ``rules``),
the OAuth issuer, Sign in with ChatGPT (``siwc``: its issuer in ``siwc_issuer`` and
``siwc_tokens``, its API in ``siwc_api`` and ``siwc_rules``), a loopback server."""
