"""Files shipped with ecogis for the browser: the vendored map assets (``vendor/``)."""
