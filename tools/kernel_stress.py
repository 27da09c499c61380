#!/usr/bin/python3
"""Start-up stress test for the workshop's Java kernel (kernelspec `java`, see tools/install-kernel.sh).

Run it with Debian's own python3 (the first `python3` on PATH may be another interpreter without jupyter_client):

    /usr/bin/python3 tools/kernel_stress.py                 # 100 starts of the installed `java` kernel
    /usr/bin/python3 tools/kernel_stress.py -n 20           # fewer (CI: about 3 s per start on 2 cores)
    /usr/bin/python3 tools/kernel_stress.py -n 40 --without-fix   # the same kernel minus our fix jar: shows the hang

Each start: launch the kernel, send ONE kernel_info_request and wait up to --timeout seconds for the reply (no retry:
the fix makes the first request always answered; clients that retry, like jupyter_client.wait_for_ready, hide
only part of the bug), execute `1+1` and check the result is 2, execute a cell that throws and check the reply
status is "error", check the heartbeat answers, send shutdown_request on the control channel and check the
kernel process exits by itself. A start that gets no kernel_info reply in time is a HANG.
Prints "kernel starts: N passed, M failed" with median/max start times; exit status 1 when any failed.
Needs Debian packages: jupyter-client python3-ipykernel (python3-zmq, python3-jupyter-core come with them).

Measured here (2 cores shared with other jobs): with the fix 100/100 in 203 s, and 100/100 in 338 s while another
stress run loaded the machine; without it (--without-fix, 40 starts) 4 and 14 failures: the shell loop thread exiting
at once (LoopThread race), the shell thread dying of a NullPointerException (handler map race), and once the
heartbeat thread dead (LoopThread race again).
"""
import argparse
import json
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager


def reply_for(kc, msg_id, deadline):
    """Wait for the shell reply to msg_id until the monotonic deadline; None on timeout."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            msg = kc.get_shell_msg(timeout=min(left, 1.0))
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg


def execute(kc, code, timeout):
    """Execute code; returns (reply status, text of the execute_result or None, error names)."""
    msg_id = kc.execute(code)
    reply = reply_for(kc, msg_id, time.monotonic() + timeout)
    if reply is None:
        return "timeout", None, []
    result, errors = None, []
    # the iopub messages of this request (they are all sent before the reply's idle status)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t = msg["msg_type"]
        if t == "execute_result":
            data = msg["content"]["data"]  # rapaio's default mime is text/html
            result = data.get("text/plain", data.get("text/html"))
        elif t == "error":
            errors.append(msg["content"].get("ename"))
        elif t == "status" and msg["content"]["execution_state"] == "idle":
            break
    return reply["content"]["status"], result, errors


def one_start(ksm, name, timeout, logdir, i, check_exit=True):
    log = open(os.path.join(logdir, f"start-{i:03d}.log"), "w")
    km = KernelManager(kernel_name=name, kernel_spec_manager=ksm)
    t0 = time.monotonic()
    km.start_kernel(stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    start_ms = None
    try:
        msg_id = kc.kernel_info()
        reply = reply_for(kc, msg_id, t0 + timeout)
        if reply is None:
            return ("HANG: no kernel_info reply in %gs" % timeout if km.is_alive() else "kernel died at start-up"), None
        start_ms = (time.monotonic() - t0) * 1000
        status, result, _ = execute(kc, "1+1", timeout)
        if status != "ok" or result is None or result.strip() != "2":
            return f"1+1: status={status} result={result!r}", start_ms
        status, _, errors = execute(kc, 'throw new RuntimeException("boom")', timeout)
        if status != "error":
            return f"throwing cell: status={status} (expected error)", start_ms
        # the heartbeat channel answers (its loop thread had the same start-up race)
        deadline = time.monotonic() + 5
        while not kc.hb_channel.is_beating() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not kc.hb_channel.is_beating():
            return "heartbeat channel does not answer", start_ms
        # the control channel handles a shutdown_request: the kernel process then exits on its own. (rapaio sends the
        # shutdown_reply on the shell socket, not on control, so the reply itself is not checked.)
        kc.shutdown()
        if not check_exit:
            return None, start_ms
        deadline = time.monotonic() + 10
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if km.is_alive():
            return "kernel still running 10 s after shutdown_request (control channel dead?)", start_ms
        return None, start_ms
    finally:
        kc.stop_channels()
        try:
            km.shutdown_kernel(now=True)  # kills only what is still running, removes the connection file
        except Exception as e:  # noqa: BLE001 - report, never hang the test
            print(f"  start {i}: cleanup failed: {e}", file=sys.stderr)
        log.close()


def kernelspec_without_fix(ksm, name, tmp):
    """A copy of the installed kernelspec whose launcher drops our fix jar from the classpath."""
    src = ksm.get_kernel_spec(name).resource_dir
    dst = os.path.join(tmp, "kernels", name + "-nofix")
    os.makedirs(dst)
    with open(os.path.join(src, "kernel.sh")) as f:
        launcher = f.read()
    fix = [tok for tok in launcher.split('"') if tok.endswith("edgeai-kernel-fix.jar:" + tok.split(":")[-1])]
    if not fix:
        sys.exit("could not find the fix jar in %s/kernel.sh" % src)
    launcher = launcher.replace(fix[0], fix[0].split(":")[-1])
    with open(os.path.join(dst, "kernel.sh"), "w") as f:
        f.write(launcher)
    os.chmod(os.path.join(dst, "kernel.sh"), 0o755)
    with open(os.path.join(src, "kernel.json")) as f:
        spec = json.load(f)
    spec["argv"][0] = os.path.join(dst, "kernel.sh")
    spec["display_name"] += " WITHOUT start-up fix"
    with open(os.path.join(dst, "kernel.json"), "w") as f:
        json.dump(spec, f)
    return KernelSpecManager(kernel_dirs=[os.path.join(tmp, "kernels")]), name + "-nofix"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--starts", type=int, default=int(os.environ.get("KERNEL_STRESS_N", "100")))
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--timeout", type=float, default=30, help="seconds to wait for kernel_info / a cell")
    ap.add_argument("--without-fix", action="store_true",
                    help="run the installed kernel minus our fix jar (skips the exit-after-shutdown check)")
    ap.add_argument("--keep-logs", help="folder for the kernel logs of failed starts")
    args = ap.parse_args()

    ksm = KernelSpecManager()
    tmp = tempfile.mkdtemp(prefix="kernel-stress-")
    name = args.kernel
    if args.without_fix:
        ksm, name = kernelspec_without_fix(ksm, name, tmp)
    passed, failed, hangs, times = 0, 0, 0, []
    t_all = time.monotonic()
    for i in range(1, args.starts + 1):
        try:
            # the unfixed kernel never exits by itself after shutdown_request (see Channels.java), so that check
            # only applies to the fixed one
            problem, start_ms = one_start(ksm, name, args.timeout, tmp, i, check_exit=not args.without_fix)
        except Exception as e:  # noqa: BLE001 - one broken start must not end the run
            problem, start_ms = f"{type(e).__name__}: {e}", None
        if start_ms is not None:
            times.append(start_ms)
        if problem is None:
            passed += 1
            os.remove(os.path.join(tmp, f"start-{i:03d}.log"))
        else:
            failed += 1
            hangs += problem.startswith("HANG")
            print(f"  start {i}/{args.starts} FAILED: {problem}", file=sys.stderr, flush=True)
        if i % 10 == 0:
            print(f"  ... {i} starts, {failed} failed", file=sys.stderr, flush=True)
    total = time.monotonic() - t_all
    med = statistics.median(times) if times else float("nan")
    mx = max(times) if times else float("nan")
    print(f"kernel starts: {passed} passed, {failed} failed ({hangs} hangs at start-up; {name}; median start {med:.0f} ms, max {mx:.0f} ms; "
          f"total {total:.0f} s, {total / max(args.starts, 1):.1f} s per start incl. cells and shutdown)")
    if failed and args.keep_logs:
        os.makedirs(args.keep_logs, exist_ok=True)
        for f in os.listdir(tmp):
            if f.endswith(".log"):
                shutil.copy(os.path.join(tmp, f), args.keep_logs)
        print(f"kernel logs of the failed starts: {args.keep_logs}", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)  # skip jupyter_client's noisy __del__ methods at interpreter shutdown
