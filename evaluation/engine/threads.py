import os
from concurrent.futures import ThreadPoolExecutor


def each(function, items: list) -> list:
    """function(item) for every item, on two threads where there are two cores: NumPy lets go
    of the interpreter while it sorts and counts, so the cores share the work (about twice as
    fast). Not more: each item holds a few arrays the size of the results while it runs (for
    a million results, two at once take a report's peak memory from about 380 to 545 MB)."""
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(function, items))
