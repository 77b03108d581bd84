// aio-play's command line: commands, options, usage text and exit codes.

/** Exit codes a script can rely on (also in USAGE and the README). */
export const EXIT = Object.freeze({
  ok: 0, // the run finished ok / the scenario is valid / it was exported
  invalid: 1, // the scenario is invalid (YAML or engine diagnostics) or unreadable
  failed: 2, // the run failed: the main task raised or was cancelled, a deadlock, a limit, an engine crash
  mismatch: 3, // run --check: an expect: line did not match
  usage: 64, // bad command line
});

export const FORMATS = ['text', 'jsonl', 'chrome-trace', 'prints'];

export const USAGE = `usage: aio-play run FILE [--clock virtual|real] [--seed N] [--speed N]
                    [--format text|jsonl|chrome-trace|prints] [--check]
       aio-play validate FILE
       aio-play export --python FILE

Runs aio playground scenarios (YAML or JSON) on the WebAssembly engine.

  run        run the scenario and print its trace
    --clock    virtual (instant, deterministic) or real (wall time); default: the scenario's clock:
    --seed     seed for random(), randint() and server jitter; default: the scenario's seed:
    --speed    real clock only: run N times faster
    --format   text          the trace, as the page's terminal shows it (default)
               jsonl         every engine event, one JSON object per line
               chrome-trace  Chrome trace-event JSON (chrome://tracing, ui.perfetto.dev):
                             tasks as threads, awaits as slices
               prints        only the scenario's prints, as "[  1500ms] text"
    --check    check the scenario's expect: lines against its prints and report each one
  validate   check the scenario; report problems as FILE:LINE:COL
  export     --python: print the scenario as a Python asyncio program

Diagnostics go to stderr as FILE:LINE:COL: error: message.
Exit codes: 0 ok, 1 invalid scenario, 2 the run failed, 3 an expect: line did not match
(run --check), 64 usage.`;

export class UsageError extends Error {}

/**
 * @param {string[]} argv
 * @returns {{ help: true } | { help?: false, command: 'run' | 'validate' | 'export', file: string,
 *   clock: 'virtual' | 'real' | null, seed: number | null, speed: number, format: string,
 *   check: boolean, python: boolean }}
 */
export function parseArgs(argv) {
  if (argv.length === 0) throw new UsageError('missing command');
  if (argv.includes('-h') || argv.includes('--help')) return { help: true };
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'validate' && command !== 'export') throw new UsageError(`unknown command '${command}'`);
  const out = { command, file: '', clock: null, seed: null, speed: 1, format: 'text', check: false, python: false };
  const only = (opt, ...commands) => {
    if (!commands.includes(command)) throw new UsageError(`${opt} is an option of ${commands.map((c) => `'${c}'`).join(' and ')}, not '${command}'`);
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const name = a.startsWith('--') ? a.split('=')[0] : a;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--clock':
        only(name, 'run');
        out.clock = value();
        if (out.clock !== 'virtual' && out.clock !== 'real') throw new UsageError('--clock is virtual or real');
        break;
      case '--seed': {
        only(name, 'run');
        const v = value();
        out.seed = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(out.seed)) throw new UsageError(`--seed is a whole number, zero or more (got '${v}')`);
        break;
      }
      case '--speed':
        only(name, 'run');
        out.speed = Number(value());
        if (!(out.speed > 0) || !Number.isFinite(out.speed)) throw new UsageError('--speed is a positive number');
        break;
      case '--format':
        only(name, 'run');
        out.format = value();
        if (!FORMATS.includes(out.format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')} (got '${out.format}')`);
        break;
      case '--check':
        only(name, 'run');
        out.check = true;
        break;
      case '--python':
        only(name, 'export');
        out.python = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (out.file) throw new UsageError(`unexpected argument '${a}' (one FILE at a time)`);
        out.file = a;
    }
  }
  if (!out.file) throw new UsageError('missing FILE');
  if (command === 'export' && !out.python) throw new UsageError('export needs a target: aio-play export --python FILE');
  return out;
}
