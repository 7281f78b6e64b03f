"""Integrations with other tools, each behind its own extra (`hubspot_email.contrib.celery`: `celery`).

Nothing here is imported by `import hubspot_email`.
"""
