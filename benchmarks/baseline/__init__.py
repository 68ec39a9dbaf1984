"""A plain Django baseline for benchmarks/pages.py: what the same pages cost built the stock way.

Stock `ModelAdmin`s on an admin site of their own and `ListView`s with OFFSET pagination and
`icontains` search, over Hecha's own models. Mounted only by `benchmarks.baseline.urls`,
which the benchmark alone uses; the app never imports this package.
"""
