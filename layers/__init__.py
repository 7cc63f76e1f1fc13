"""The layer contract: one TOML per layer (fields, labels, allowed values).

Read through ``ecogis.schema``; installed as ``ecogis.layers``.
"""
