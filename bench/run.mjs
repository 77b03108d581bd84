#!/usr/bin/env node
// `npm run bench`: build the aio benchmark binaries (presets `bench`, `wasm-bench` and
// `wasm-bench-eh`), run every workload in five implementations one after another on this
// machine — aio native, aio as WASM under node twice (JS-based exceptions as in the playground's
// module, and native wasm exceptions, -fwasm-exceptions), CPython asyncio, Node async functions —
// print the medians and write docs/benchmarks.md.
//   node bench/run.mjs [--reps N] [--only w1,w3,...] [--no-build] [--out FILE] [--no-write]
// Every implementation prints one JSON line per workload (see bench/aio_bench.cpp,
// bench/python/bench_asyncio.py, bench/node/bench_node.mjs), naming itself in "impl" (the runner
// checks it: aio_bench says "aio-wasm-eh" when compiled with -fwasm-exceptions); the checksums must agree.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderMarkdown, fmtMs, ratio } from "./report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(name);
const repsOverride = opt("--reps", null);
const only = opt("--only", null)?.split(",");
const outFile = path.resolve(root, opt("--out", "docs/benchmarks.md"));

// Runs per measurement: aio and Node runs take milliseconds, CPython's up to seconds.
const REPS = { "aio-native": 7, "aio-wasm": 7, "aio-wasm-eh": 7, node: 7, cpython: 5 };
// Memory runs repeat exactly (deterministic); CPython's, under tracemalloc, are slow.
const MEM_REPS = { "aio-native": 3, "aio-wasm": 3, "aio-wasm-eh": 3, node: 3, cpython: 1 };
const env = { ...process.env, NODE_PATH: "/usr/share/nodejs", PYTHONDONTWRITEBYTECODE: "1" };
const nativeDir = path.join(root, "build/bench");
const wasmDir = path.join(root, "build/wasm-bench");        // JS-based exceptions (-fexceptions)
const wasmEhDir = path.join(root, "build/wasm-bench-eh");  // native wasm exceptions (AIO_WASM_EH=ON)
// The aio implementations that have the observer pairs and the w6_new (counting operator new) run.
const AIO_IMPLS = ["aio-native", "aio-wasm", "aio-wasm-eh"];

function sh(cmd, argv, extra = {}) {
  return execFileSync(cmd, argv, { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...extra }).trim();
}
function shOr(cmd, argv, dflt = "unknown") {
  try {
    return sh(cmd, argv);
  } catch {
    return dflt;
  }
}

// ---- build ----
function build() {
  const targets = ["--target", "aio_bench", "aio_bench_mem"];
  for (const [preset, dir] of [["bench", nativeDir], ["wasm-bench", wasmDir], ["wasm-bench-eh", wasmEhDir]]) {
    console.error(`[bench] building preset ${preset} in ${path.relative(root, dir)}`);
    for (const argv of [["--preset", preset, "-B", dir], ["--build", dir, "-j2", ...targets]]) {
      const r = spawnSync("cmake", argv, { cwd: root, env, encoding: "utf8" });
      if (r.status !== 0) {
        process.stderr.write(r.stdout + r.stderr);
        throw new Error(`cmake ${argv.join(" ")} failed`);
      }
    }
  }
}

// ---- machine facts ----
function machine() {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const mhz = /cpu MHz\s*:\s*(.*)/.exec(cpuinfo)?.[1];
  const cache = (file, key) => {
    try {
      return new RegExp(`^${key}:[^=]*=(.*)$`, "m").exec(fs.readFileSync(path.join(file, "CMakeCache.txt"), "utf8"))?.[1] ?? "";
    } catch {
      return "";
    }
  };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: shOr("nproc", []),
    cpu: model + (mhz ? ` (${Math.round(Number(mhz))} MHz reported)` : ""),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    gxx: shOr("g++", ["--version"]).split("\n")[0],
    emxx: (() => {
      const v = /\) (\d+\.\d+\.\d+)/.exec(shOr("em++", ["--version"]))?.[1];
      const r = spawnSync("em++", ["-v"], { env, encoding: "utf8" });
      const clang = /clang version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1];
      return `em++ ${v ?? "unknown"}${clang ? ` (clang ${clang})` : ""}`;
    })(),
    load: () => os.loadavg().map((x) => x.toFixed(2)).join(" "),
    python: shOr("python3", ["-c", "import sys, platform; print('CPython', sys.version.split()[0], platform.python_compiler())"]),
    node: `node ${process.version} (V8 ${process.versions.v8})`,
    cmake: shOr("cmake", ["--version"]).split("\n")[0],
    nativeFlags: `${cache(nativeDir, "CMAKE_BUILD_TYPE")}: ${cache(nativeDir, "CMAKE_CXX_FLAGS_RELEASE")}`.trim(),
    // aio.cmake adds -fwasm-exceptions when AIO_WASM_EH is ON, -fexceptions otherwise.
    ...Object.fromEntries([["wasmFlags", wasmDir], ["wasmEhFlags", wasmEhDir]].map(([k, dir]) => [k,
      `${cache(dir, "CMAKE_BUILD_TYPE")}: ${cache(dir, "CMAKE_CXX_FLAGS_RELEASE")} ` +
      `${cache(dir, "AIO_WASM_EH") === "ON" ? "-fwasm-exceptions" : "-fexceptions"}`.trim()])),
  };
}

// ---- running one implementation on one workload ----
const IMPLS = {
  "aio-native": (w, reps, bin = "aio_bench") => [path.join(nativeDir, "bench", bin), [w, String(reps)]],
  "aio-wasm": (w, reps, bin = "aio_bench") => ["node", ["--no-experimental-fetch", "--stack-size=8000", path.join(wasmDir, "bench", `${bin}.js`), w, String(reps)]],
  "aio-wasm-eh": (w, reps, bin = "aio_bench") => ["node", ["--no-experimental-fetch", "--stack-size=8000", path.join(wasmEhDir, "bench", `${bin}.js`), w, String(reps)]],
  cpython: (w, reps) => ["python3", [path.join(root, "bench/python/bench_asyncio.py"), w, String(reps)]],
  node: (w, reps) => ["node", ["--expose-gc", path.join(root, "bench/node/bench_node.mjs"), w, String(reps)]],
};

function runImpl(impl, workload, reps, bin) {
  const [cmd, argv] = IMPLS[impl](workload, reps, bin);
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: root, env, encoding: "utf8", maxBuffer: 16 << 20, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${impl} ${workload} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop();
  const res = JSON.parse(line);
  // A stale or misconfigured build dir (e.g. wasm-bench-eh without AIO_WASM_EH) would say otherwise.
  if (res.impl !== impl) throw new Error(`${impl} ${workload}: the program reports itself as "${res.impl}" (${cmd} ${argv.join(" ")})`);
  res.wall_s = (Date.now() - t0) / 1000;
  console.error(`[bench] ${impl.padEnd(11)} ${(workload + (bin === "aio_bench_mem" ? " (new)" : "")).padEnd(14)} ${summary(res)}  (${res.wall_s.toFixed(1)} s)`);
  return res;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
function summary(res) {
  if (res.pending) return `pending: ${res.pending}`;
  if (res.times_ms) return `median ${fmtMs(median(res.times_ms))} of [${res.times_ms.map((t) => t.toFixed(1)).join(", ")}]`;
  const key = Object.keys(res).find((k) => k.endsWith("_bytes_per_task"));
  return `${key} ${median(res[key]).toFixed(1)}`;
}

// ---- the suite ----
const WORKLOADS = [
  { id: "w1", title: "1. create + await 100k tasks", extra: { "aio-native": ["w1_obs"], "aio-wasm": ["w1_obs"], "aio-wasm-eh": ["w1_obs"] } },
  { id: "w2", title: "2. event ping-pong, 200k round trips" },
  { id: "w3", title: "3. 100k tasks, each yields once (sleep(0))", extra: { "aio-native": ["w3_obs"], "aio-wasm": ["w3_obs"], "aio-wasm-eh": ["w3_obs"], node: ["w3_micro"] } },
  { id: "w4", title: "4. queue, 1M items, 1 producer → 1 consumer (maxsize 64)" },
  { id: "w5", title: "5. 100k tasks sleep seeded random 1–10000 ms (virtual clock)" },
];

function main() {
  const started = Date.now();
  if (!flag("--no-build")) build();
  const facts = machine();
  facts.loadBefore = facts.load();
  facts.othersBefore = otherProcesses();
  const results = {};  // results[workload][impl] = parsed JSON line
  const record = (w, impl, res) => ((results[w] ??= {})[impl] = res);
  // The same work must give the same checksum everywhere.
  const agree = (w) => {
    const checks = Object.entries(results[w]).filter(([, r]) => !r.pending).map(([i, r]) => `${i}=${r.check}`);
    if (new Set(checks.map((c) => c.split("=")[1])).size > 1) throw new Error(`${w}: checksums differ: ${checks.join(" ")}`);
  };

  for (const wl of WORKLOADS) {
    if (only && !only.includes(wl.id)) continue;
    for (const impl of Object.keys(IMPLS)) {
      const reps = Number(repsOverride ?? REPS[impl]);
      record(wl.id, impl, runImpl(impl, wl.id, reps));
      // Observer pairs are cheap and alternate in-process: more of them steadies the comparison.
      for (const x of wl.extra?.[impl] ?? []) record(x, impl, runImpl(impl, x, x.endsWith("_obs") && !repsOverride ? 11 : reps));
    }
    agree(wl.id);
  }
  if (!only || only.includes("w6")) {
    const reps = (impl) => Number(repsOverride ?? MEM_REPS[impl]);
    for (const impl of Object.keys(IMPLS)) record("w6", impl, runImpl(impl, "w6", reps(impl)));
    for (const impl of AIO_IMPLS) record("w6_new", impl, runImpl(impl, "w6", reps(impl), "aio_bench_mem"));
    agree("w6");
    agree("w6_new");
  }

  if (!only || only.includes("w1") || only.includes("w3")) results.observer_instructions = observerInstructions();
  results.workload_instructions = workloadInstructions();
  facts.othersAfter = otherProcesses();

  const totalS = (Date.now() - started) / 1000;
  facts.loadAfter = facts.load();
  const md = renderMarkdown({ facts, results, workloads: WORKLOADS, median, reps: { ...REPS, mem: MEM_REPS, override: repsOverride }, totalS, argv: args });
  printTable(results);
  if (!flag("--no-write")) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, md);
    console.error(`[bench] wrote ${path.relative(root, outFile)} (${totalS.toFixed(0)} s in all)`);
  }
}

// Machine load cannot change an instruction count: run the native binary under callgrind
// without and with the no-op observer (one warm-up + one measured run each, same work) and
// compare the totals. Skipped when valgrind is missing.
// Instructions the native benchmark binary executes for `w` with `reps` measured runs (callgrind
// counts the whole process).
function callgrindCount(w, reps) {
  const out = path.join(os.tmpdir(), `aio-bench-callgrind-${process.pid}.out`);
  const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, path.join(nativeDir, "bench", "aio_bench"), w, String(reps)],
    { cwd: root, encoding: "utf8", maxBuffer: 16 << 20, timeout: 600_000 });
  fs.rmSync(out, { force: true });
  const m = /Collected : (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`callgrind ${w} failed:\n${r.stderr}`);
  return Number(m[1]);
}

function observerInstructions() {
  if (spawnSync("valgrind", ["--version"]).status !== 0) return null;
  const count = (w) => callgrindCount(w, 1);
  const res = {};
  for (const w of ["w1", "w3"]) {
    if (only && !only.includes(w)) continue;
    res[w] = { base: count(w), noop: count(`${w}_noop`), tasks: 2 * 100000 };
    console.error(`[bench] callgrind   ${w}: ${res[w].base} instructions without an observer, ${res[w].noop} with a no-op one`);
  }
  return res;
}

// Per-run instruction counts of every aio workload, natively: callgrind counts the whole
// process, so run it with 1 and with 3 measured runs (after the same warm-up) and halve the
// difference. Steady state, load-independent; what a wall-clock median cannot be on a busy machine.
function workloadInstructions() {
  if (spawnSync("valgrind", ["--version"]).status !== 0) return null;
  const count = callgrindCount;
  const res = {};
  for (const wl of WORKLOADS) {
    if (only && !only.includes(wl.id)) continue;
    const one = count(wl.id, 1), three = count(wl.id, 3);
    res[wl.id] = { per_run: (three - one) / 2 };
    console.error(`[bench] callgrind   ${wl.id}: ${res[wl.id].per_run} instructions per measured run`);
  }
  return res;
}

// What else was using the CPUs (the machine is shared): the busiest commands by CPU share.
function otherProcesses() {
  const lines = shOr("ps", ["-eo", "pcpu=,comm=", "--sort=-pcpu"], "").split("\n").map((l) => l.trim().split(/\s+/));
  const byCmd = {};
  for (const [pcpu, comm] of lines) if (comm && Number(pcpu) >= 5) byCmd[comm] = (byCmd[comm] ?? 0) + Number(pcpu);
  const top = Object.entries(byCmd).sort((a, b) => b[1] - a[1]).slice(0, 6);
  return top.length ? top.map(([c, v]) => `${c} ${v.toFixed(0)}%`).join(", ") : "nothing above 5% CPU";
}

function printTable(results) {
  const impls = ["aio-native", "aio-wasm", "aio-wasm-eh", "cpython", "node"];
  const rows = [["workload (median ms)", ...impls, "nat/CPy", "wasm/CPy", "wasmEH/CPy", "nat/Node", "wasm/Node", "wasmEH/Node"]];
  for (const [w, byImpl] of Object.entries(results)) {
    if (w.startsWith("w6") || w.endsWith("_instructions")) continue;
    const m = Object.fromEntries(impls.map((i) => [i, byImpl[i]?.times_ms ? median(byImpl[i].times_ms) : null]));
    const cell = (i) => (byImpl[i]?.pending ? "pending" : m[i] == null ? "" :
      byImpl[i].base_times_ms ? `${fmtMs(median(byImpl[i].base_times_ms))}→${fmtMs(m[i])}` : fmtMs(m[i]));
    rows.push([w, ...impls.map(cell), ...["cpython", "node"].flatMap((o) => AIO_IMPLS.map((i) => ratio(m[o], m[i])))]);
  }
  if (rows.length > 1) {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
    for (const r of rows) console.log(r.map((v, c) => String(v).padStart(widths[c])).join("  "));
  }
  const mem = results.w6;
  if (mem) {
    const b = (r, k) => (r?.[k] ? median(r[k]).toFixed(0) : "-");
    console.log(`bytes/pending task: aio-native ${b(mem["aio-native"], "malloc_bytes_per_task")} (heap) / ${b(results.w6_new?.["aio-native"], "new_bytes_per_task")} (requested)` +
      `, aio-wasm ${b(mem["aio-wasm"], "malloc_bytes_per_task")} / ${b(results.w6_new?.["aio-wasm"], "new_bytes_per_task")}` +
      `, aio-wasm-eh ${b(mem["aio-wasm-eh"], "malloc_bytes_per_task")} / ${b(results.w6_new?.["aio-wasm-eh"], "new_bytes_per_task")}` +
      `, cpython ${b(mem.cpython, "tracemalloc_bytes_per_task")}, node ${b(mem.node, "heap_used_bytes_per_task")}`);
  }
}

main();
