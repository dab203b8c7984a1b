#!/usr/bin/env python3
"""Where a peer exchange's server CPU goes, step by step (`make profile`; docs/performance.md).

Input: `perf script -F comm,pid,tid,ip,sym` of samples taken on the server's core with DWARF call stacks, demangled
(`swift demangle --simplified`). Only the process with the most samples (the server) counts: the core's idle time,
the kernel's workers and perf itself are left out, as they are from the server's CPU time. Each sample is charged
to the innermost frame of its stack that names one of the steps below (so the libraries a step calls — Swift's
runtime, malloc, BoringSSL, SQLite, the kernel — count in that step); samples in no step are "other". With the
server's CPU per exchange measured in a run without the profiler, each share is turned into microseconds per
exchange.

Usage: profile_steps.py STACKS [MICROSECONDS_PER_EXCHANGE] [--leaves]
"""
import collections
import re
import sys

# (group, step, pattern). The first pattern found going up from the sampled frame wins; the order below only
# matters for frames that two patterns match.
STEPS = [
    ("P-256", "verify the request's signature", r"ECDSA_do_verify|ecdsa_verify|isValidSignature|points_mul_public"),
    ("P-256", "sign the answer", r"ECDSA_do_sign|ecdsa_sign|PrivateKey\.signature|point_mul_base"),
    ("request checks", "signature base of the request", r"SignatureBase\.make"),
    ("request checks", "Signature-Input and Signature read", r"SignatureFields\.read"),
    ("request checks", "signature profile, freshness", r"MessageVerifier\.inspect"),
    ("request checks", "key lookup, algorithm, @authority", r"MessageVerifier\.verify|RequestVerification\.signature"),
    ("request checks", "Content-Digest", r"RequestVerification\.digest|ContentDigest\.verify"),
    ("request checks", "JSON body", r"parseUnambiguous|QueryRequest\.init"),
    ("request checks", "subjects", r"ExchangeHandlers\.subjects|CitizenID"),
    ("request checks", "policy decision", r"Policy\.decide"),
    ("request checks", "TLS identity, manifest admission", r"admitTLS|requireFederationInForce|ConnectionProvinces"),
    ("request checks", "admission limits, replay cache", r"PeerLimits|ReplayCache|replays"),
    ("answer", "record lookup (SQLite)", r"RecordLookup\.|visitRecordsNow"),
    ("answer", "answer body (projection, masking, JSON)", r"ExchangeHandlers\.answer|RecordProjection"),
    ("audit", "entry draft, subject digest", r"ExchangeHandlers\.draft|subjectDigest"),
    ("answer", "answer signing: Content-Digest, base, fields", r"AnswerSigning|MessageSigner\.sign|ContentDigest\.field|ContentCoding"),
    ("answer", "answer head and write", r"PeerFastPath\.write\(status"),
    ("answer", "metrics", r"GatewayMetrics|Prometheus"),
    ("audit", "entry text, chain hash", r"chainedContent|AuditChain\.link|AuditEntry"),
    ("audit", "insert and group commit (SQLite, fdatasync)", r"commitAudit|DatabaseWriter|SerializedDatabase|fdatasync"),
    ("audit", "queue, writer wake-ups", r"appendAudit|AuditQueue|PeerFastPath\.answer.*closure|swift_job_run|_dispatch"),
    ("fast path", "answer: signer choice, copies", r"PeerFastPath\.answer|PeerFastPath\.finish|PeerFastPath\.done"),
    ("fast path", "prepare: message view, copies, known member", r"FastQuery\.prepare"),
    ("fast path", "collecting the request", r"PeerFastPath\."),
    ("HTTP and TLS", "HTTP/1 head to HTTP types, connection state", r"HTTP1ToHTTPServerCodec|HTTPConnectionStateHandler"),
    ("HTTP and TLS", "HTTP/1 parsing (llhttp)", r"HTTPDecoder|BetterHTTPParser|llhttp"),
    ("HTTP and TLS", "HTTP/1 encoding", r"HTTPResponseEncoder|HTTPEncoder"),
    ("HTTP and TLS", "TLS records (NIOSSL)", r"NIOSSL|CNIOBoringSSL"),
    ("HTTP and TLS", "socket reads and writes", r"readFromSocket|writeToSocket|Socket\.|PendingWrites"),
    ("HTTP and TLS", "event loop", r"SelectableEventLoop|Selector|epoll"),
]
COMPILED = [(group, step, re.compile(pattern)) for group, step, pattern in STEPS]


def samples(path):
    """Each sample's process id and frames, innermost first."""
    frames, process = [], None
    with open(path, errors="replace") as text:
        for line in text:
            if not line.strip():
                continue
            if line[0] not in " \t":
                if process is not None:
                    yield process, frames
                # `comm pid/tid`; a thread's name may hold spaces, the ids are the last field.
                process, frames = line.split()[-1].split("/")[0], []
                continue
            parts = line.strip().split(" ", 1)
            frames.append(parts[1] if len(parts) > 1 else "?")
    if process is not None:
        yield process, frames


def charge(frames):
    for frame in frames:
        for group, step, pattern in COMPILED:
            if pattern.search(frame):
                return group, step
    return "other", "other"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    microseconds = float(args[1]) if len(args) > 1 else None
    taken = [(process, frames) for process, frames in samples(args[0]) if frames]
    if not taken:
        sys.exit("profile_steps: no samples in " + args[0])
    server, _ = collections.Counter(process for process, _ in taken).most_common(1)[0]
    tally, leaves, total = collections.Counter(), collections.defaultdict(collections.Counter), 0
    for process, frames in taken:
        if process != server:
            continue
        total += 1
        key = charge(frames)
        tally[key] += 1
        leaves[key][frames[0][:100]] += 1
    groups = collections.Counter()
    for (group, _), count in tally.items():
        groups[group] += count
    unit = " µs/exchange" if microseconds else ""
    print(f"{total} samples of process {server} (of {len(taken)} on the core)" + (f", {microseconds:.0f} µs of server CPU per exchange" if microseconds else ""))
    for group, group_count in groups.most_common():
        value = f"{microseconds * group_count / total:7.1f}" if microseconds else ""
        print(f"\n{100 * group_count / total:5.1f} % {value}{unit}  {group}")
        for (g, step), count in tally.most_common():
            if g != group:
                continue
            value = f"{microseconds * count / total:7.1f}" if microseconds else ""
            print(f"    {100 * count / total:5.1f} % {value}  {step}")
            if "--leaves" in sys.argv:
                for leaf, n in leaves[(g, step)].most_common(4):
                    print(f"              {100 * n / total:5.2f} %  {leaf}")


if __name__ == "__main__":
    main()
