"""The pieces of ``chatgpt_sdk.bridge``, one direction a module."""
