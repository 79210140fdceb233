"""The registry docs of the `mixpanel` package, generated from its schema and input models.

`examples` holds the one example input set per resource type, `languages` renders a program in
each language the project ships, and `pages` writes the pages (see ../README.md).
"""
