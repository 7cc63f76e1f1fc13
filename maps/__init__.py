"""Map recipes: one TOML per map kind, read by ``ecogis.webmap.recipe``."""
