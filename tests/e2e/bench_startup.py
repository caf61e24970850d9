"""Start-up and idle memory of the real app (a benchmark, not a test).

Run by `bash scripts/e2e.sh --bench`: a clinic is set up with the CLI first, so
the app opens on its login screen. Prints, for several launches: the time from
asking tauri-driver for a session (which starts the app) until the login form
accepts input, and the memory of the whole process tree after 10 s idle."""

import os
import pathlib
import statistics
import subprocess
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from conftest import TauriOptions

RUNS = 5


def tree(pid: int) -> list[int]:
    out = [pid]
    for child in pathlib.Path(f"/proc/{pid}/task").glob("*/children"):
        for c in child.read_text().split():
            out += tree(int(c))
    return out


def pss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def app_pid(binary: str) -> int:
    pids = subprocess.run(["pgrep", "-f", "-n", binary], capture_output=True, text=True).stdout.split()
    return int(pids[0])


def main():
    binary = os.environ.get("CUSPID_BENCH_APP_BIN") or os.environ["CUSPID_APP_BIN"]
    starts, mems, procs, breakdown = [], [], [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        d = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=TauriOptions(binary))
        WebDriverWait(d, 30).until(ec.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="login-username"]')))
        starts.append(time.perf_counter() - t0)
        time.sleep(10)
        pids = tree(app_pid(binary))
        mems.append(sum(pss_kib(p) for p in pids) / 1024)
        procs.append(len(pids))
        breakdown = [(pathlib.Path(f"/proc/{p}/comm").read_text().strip(), pss_kib(p) / 1024) for p in pids]
        d.quit()
        time.sleep(1)
    print(f"launch to interactive login screen: median {statistics.median(starts) * 1000:.0f} ms, "
          f"max {max(starts) * 1000:.0f} ms over {RUNS} launches (target < 1500 ms)")
    print(f"idle memory of the process tree (PSS, {procs[0]} processes): median {statistics.median(mems):.0f} MiB, "
          f"max {max(mems):.0f} MiB (target < 300 MB)")
    print("  last launch: " + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in breakdown))


if __name__ == "__main__":
    main()
