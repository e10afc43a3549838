"""Pure domain rules: no Flask, no database. Each module is tested on its own."""
