import os

# NumPy asks Linux for huge pages for its large arrays. For a worker's report over a million
# results, faulting them in cost about 0.3 s of 2 s the first time, and saved nothing after;
# set before anything imports NumPy (an operator may still set it to 1).
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from .celery import app as celery_app

__all__ = ("celery_app",)
