// Reading a CSV file on a worker thread (csv-worker.ts): the importing thread's side. Yields the staged batches the
// worker posts, acknowledging each once the consumer asks for the next; the worker's errors are thrown here.
import { Worker } from 'node:worker_threads';
import type { Encoding } from './csv.ts';
import type { Kind } from './formats.ts';
import type { RefMaps } from './validate.ts';
import { fromMessage, type StagedBatch, type StagedMessage } from './stage.ts';
import { ImportFileError } from './errors.ts';

export interface CsvWorkerInit {
  file: string;
  encoding: Encoding;
  kind: Kind;
  columnOf: number[];
  refs: RefMaps;
  headerWidth: number;
  batchRows: number;
}

export type CsvWorkerMessage =
  | { type: 'rows'; batch: StagedMessage }
  | { type: 'done'; sha256: string }
  | { type: 'error'; fileError: { file: string; detail: string; detailZh: string } }
  | { type: 'error'; message: string };

export interface CsvThread {
  batches: AsyncGenerator<StagedBatch>;
  /** The file's SHA-256, known once every batch has been read. */
  sha256(): Promise<string>;
}

export function readCsvOnWorker(init: CsvWorkerInit): CsvThread {
  let digest: string | undefined;
  async function* batches(): AsyncGenerator<StagedBatch> {
    const worker = new Worker(new URL('./csv-worker.mjs', import.meta.url), { workerData: init });
    const queue: CsvWorkerMessage[] = [];
    let failure: Error | undefined;
    let exited = false;
    let wake: (() => void) | undefined;
    const poke = () => {
      wake?.();
      wake = undefined;
    };
    worker.on('message', (message: CsvWorkerMessage) => {
      queue.push(message);
      poke();
    });
    worker.on('error', (err) => {
      failure = err;
      poke();
    });
    worker.on('exit', (code) => {
      exited = true;
      failure ??= new Error(`the CSV reader thread stopped early (exit code ${code})`);
      poke();
    });
    try {
      for (;;) {
        while (queue.length === 0) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const message = queue.shift()!;
        if (message.type === 'rows') {
          yield fromMessage(message.batch);
          worker.postMessage('ack');
        } else if (message.type === 'done') {
          digest = message.sha256;
          return;
        } else if ('fileError' in message) {
          throw new ImportFileError(message.fileError.file, message.fileError.detail, message.fileError.detailZh);
        } else throw new Error(`the CSV reader thread failed: ${message.message}`);
      }
    } finally {
      if (!exited) await worker.terminate();
    }
  }
  return {
    batches: batches(),
    async sha256() {
      if (digest === undefined) throw new Error('the file has not been read to the end');
      return digest;
    },
  };
}
