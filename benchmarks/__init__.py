"""Speed and memory figures, each against a baseline measured in the same run. `python -m benchmarks`."""

import statistics
import time


def median_seconds(fn, repeats: int) -> float:
    """The median of `repeats` timed runs of `fn`, after one run that warms the page cache."""
    fn()
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def paired_median_seconds(ours, baseline, repeats: int) -> tuple[float, float]:
    """The medians of `ours` and its `baseline`, timed in turns (ours, baseline, ours, …) after one warm-up
    run of each: a machine that speeds up or slows down during the run moves both, not the ratio."""
    ours()
    baseline()
    times: tuple[list, list] = ([], [])
    for _ in range(repeats):
        for fn, runs in zip((ours, baseline), times, strict=True):
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1])


# Pasted into the child programs the benchmarks start. A child's own peak memory: VmHWM. On Linux ru_maxrss
# starts from the parent's size at the fork, so a parent that has just built a county demo would be measured.
PEAK_MB = """
import resource
def peak_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
