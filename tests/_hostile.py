"""A report written to attack the pages: scripts, event handlers, javascript: links, formulas."""

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Gunmen attack'
HOSTILE_TEXT = (
    "<script>window.__pwned = 2; alert('xss')</script> Gunmen killed 5 people in Springfield, Illinois "
    "on Monday, police said. <img src=x onerror=\"window.__pwned=3\"> "
    "<a href=\"javascript:alert(1)\">more</a> =HYPERLINK(\"http://evil.example\",\"x\")"
)
