"""Full-text matching of a fan's message against other text, in PostgreSQL."""

from typing import LiteralString

# The words of %(text)s as a tsquery any one of which matches (plainto_tsquery joins them with
# AND); NULL when the text has no searchable word ("how much?").
ANY_WORD: LiteralString = (
    "nullif(replace(plainto_tsquery('english', %(text)s)::text, ' & ', ' | '), '')::tsquery"
)
