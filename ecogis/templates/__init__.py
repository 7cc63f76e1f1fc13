"""Jinja2 templates, stylesheets and scripts of the reports and the web map (package data).

``report.html.j2`` / ``report_index.html.j2`` / ``report.css`` are the province reports
(:mod:`ecogis.report`), ``upgrade.html.j2`` / ``upgrade.css`` the upgrade report
(:mod:`ecogis.report.upgrade`), ``webmap.css`` / ``webmap.js`` the web map page
(:mod:`ecogis.webmap`). They are read as package resources (see
:func:`ecogis.resources.templates_dir`); reports render through
:func:`ecogis.report.render.render_page`. Data reach them only as autoescaped variables
or JSON, never as template source.
"""
