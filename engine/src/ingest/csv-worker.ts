// The CSV worker thread: reads, parses and validates a CSV file and posts staged batches to the importing thread,
// which only appends them to DuckDB; so parsing and appending run on two cores. At most MAX_IN_FLIGHT batches
// wait unacknowledged, which bounds memory however slow the importing side is.
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { csvBatches } from './csv.ts';
import { FORMATS } from './formats.ts';
import { rowValidator } from './validate.ts';
import { stageBatch, toMessage } from './stage.ts';
import { ImportFileError } from './errors.ts';
import type { CsvWorkerInit, CsvWorkerMessage } from './csv-thread.ts';

const MAX_IN_FLIGHT = 4;
const port = parentPort!;
const init = workerData as CsvWorkerInit;

let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', (message: 'ack') => {
  if (message !== 'ack') return;
  inFlight--;
  wake?.();
  wake = undefined;
});
const post = (message: CsvWorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

async function main(): Promise<void> {
  const def = FORMATS[init.kind];
  const validate = rowValidator(def, { columnOf: init.columnOf, refs: init.refs, headerWidth: init.headerWidth });
  const hash = createHash('sha256');
  let beforeHeader = true;
  for await (const batch of csvBatches(init.file, init.encoding, init.batchRows, { update: (data) => hash.update(data), done: () => undefined })) {
    if (beforeHeader) {
      // The first non-blank record is the header, already read and checked by the importing thread.
      batch.lines.shift();
      batch.rows.shift();
      beforeHeader = false;
    }
    if (batch.rows.length === 0) continue;
    const staged = toMessage(stageBatch(batch, validate, def.fields.length));
    post({ type: 'rows', batch: staged }, [staged.lines.buffer as ArrayBuffer, staged.ok.buffer as ArrayBuffer]);
    inFlight++;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  }
  post({ type: 'done', sha256: hash.digest('hex') });
}

main().catch((err: Error) =>
  post(
    err instanceof ImportFileError
      ? { type: 'error', fileError: { file: err.file, detail: err.detail, detailZh: err.detailZh } }
      : { type: 'error', message: err.stack ?? err.message },
  ),
);
