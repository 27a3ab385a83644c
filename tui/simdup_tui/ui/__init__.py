"""Everything Textual: the app, its screens and widgets (the core never imports this)."""
