"""Traditional Chinese numbers as Taiwan and Hong Kong write them: 12,345, like 6,050億.

Dates and the rest come from Django's own zh_Hant formats; Simplified keeps Django's too,
digits in one run (12345, 6050亿), as the mainland writes them.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
