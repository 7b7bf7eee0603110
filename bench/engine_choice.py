"""How the distributed engine was chosen (engines.py): Dask's local cluster against
Ray's local mode, 2 worker processes each, one trivial map; time to the first
results, processes started and their memory.  Needs both installed, which
vbextract does not (a throwaway venv: ``pip install ray 'dask[distributed]'``):

    python bench/engine_choice.py dask; python bench/engine_choice.py ray

Measured on this 2-core machine (Python 3.11, dask/distributed 2026.8.0, ray 2.60.0), twice each:
dask: first results after 0.53-0.55 s, 4 processes, 112 MB; ray: 3.1-3.3 s, 10 processes, 625 MB.
Installed size: distributed + dask 24 MB, ray 240 MB.
"""

import os
import subprocess
import sys
import time


def rss_tree():
    # sum RSS (MB) of all descendants of this process
    out = subprocess.run(["ps", "-eo", "pid,ppid,rss"], capture_output=True, text=True).stdout.split("\n")[1:]
    kids = {}
    for row in out:
        p = row.split()
        if len(p) == 3:
            kids.setdefault(int(p[1]), []).append((int(p[0]), int(p[2])))
    tot, n, stack = 0, 0, [os.getpid()]
    while stack:
        for pid, rss in kids.get(stack.pop(), []):
            tot += rss
            n += 1
            stack.append(pid)
    return tot / 1024, n


def f(x):
    return x * 2


if __name__ == "__main__":
    which = sys.argv[1]
    t0 = time.perf_counter()
    if which == "ray":
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        rf = ray.remote(f)
        r = ray.get([rf.remote(i) for i in range(2)])
        t1 = time.perf_counter()
        mem = rss_tree()
        ray.shutdown()
    else:
        from distributed import Client, LocalCluster

        c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cl = Client(c)
        r = cl.gather(cl.map(f, range(2)))
        t1 = time.perf_counter()
        mem = rss_tree()
        cl.close()
        c.close()
    print(
        which,
        "first results after %.2f s" % (t1 - t0),
        "processes started: %d, their RSS %.0f MB" % (mem[1], mem[0]),
        "total %.2f s" % (time.perf_counter() - t0),
    )
