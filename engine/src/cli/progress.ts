// Progress for long work on a terminal: rows done, rows per second, time left. Silent when not a TTY or with --json.
export interface Progress {
  tick(done: number): void;
  done(summary?: string): void;
}

const SILENT: Progress = { tick() {}, done() {} };

export function progress(label: string, total: number | undefined, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || !process.stderr.isTTY) return SILENT;
  const started = Date.now();
  let last = 0;
  const render = (done: number, final = false) => {
    const elapsedS = (Date.now() - started) / 1000;
    const rate = elapsedS > 0 ? done / elapsedS : 0;
    let line = `${label}: ${done.toLocaleString('en-US')} rows`;
    if (total) line += ` of ${total.toLocaleString('en-US')} (${((100 * done) / total).toFixed(1)}%)`;
    line += `, ${Math.round(rate).toLocaleString('en-US')} rows/s`;
    if (total && rate > 0 && !final) line += `, ${Math.ceil((total - done) / rate)} s left`;
    if (final) line += `, ${elapsedS.toFixed(1)} s`;
    process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
  };
  return {
    tick(done) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      render(done);
    },
    done(summary) {
      if (summary) process.stderr.write(`\r\x1b[K${label}: ${summary}\n`);
      else render(total ?? 0, true);
    },
  };
}
