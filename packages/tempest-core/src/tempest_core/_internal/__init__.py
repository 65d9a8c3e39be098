"""Private implementation modules of tempest_core; nothing here is public API."""
