#!/usr/bin/env python3
"""Sum cmocka's (and TAP's) per-program results from meson test logs into one line:
'N passed, N failed'. A program that crashed or printed no cmocka summary
counts as one failure, so nothing fails silently (one meson skipped does
not). Each failing program is
named on a line of its own before the summary, with the cases cmocka named."""
import json
import re
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"summary: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout", "") + t.get("stderr", "")
        p = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", out))
        f = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", out))
        # TAP programs (tests/live-netns.sh): one line per case.
        p += len(re.findall(r"^ok \d+ - (?!# SKIP)", out, re.M))
        f += len(re.findall(r"^not ok \d+", out, re.M))
        # SKIP (live-netns.sh without root) and an expected failure are
        # not failures.
        if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL") and f == 0:
            f = 1
        if f:
            cases = re.findall(r"^\[  FAILED  \] (\S+)$", out, re.M)
            cases += re.findall(r"^not ok \d+ - (.*)$", out, re.M)
            cases = list(dict.fromkeys(cases))
            print(f"failed: {t.get('name')} ({path}, {t.get('result')})"
                  + (": " + ", ".join(cases) if cases else ""))
        passed += p
        failed += f
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
