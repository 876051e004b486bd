"""Speed and memory figures, each against a baseline measured in the same run. `python -m benchmarks`."""

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
