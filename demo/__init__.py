"""The demo site as data: ``manage.py load_demo_content`` builds it from the files in ``data/``.

Nothing in the application imports this app (tests may). ``builder`` holds the few idempotent
steps every recipe shares, ``recipes/`` one module per domain, ``sources`` every model and
service the recipes use, and ``media/`` the files the demo ships (the demo video and its poster).
"""
