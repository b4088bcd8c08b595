"""The benchmark: synthetic ledgers of any size and whole-process timings against baselines of the same run."""
