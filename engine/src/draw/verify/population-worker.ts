// Worker thread of the parallel population scan (parallel.ts). Per job: scan one byte range of
// population.csv, hand out the id fingerprints of the other partitions, then look for repeats in its
// own partition with the ones the other ranges send. The thread then waits for the next job.
import { parentPort } from 'node:worker_threads';
import { repeatedFingerprints, scanRange, type RangeJob, type RangeScan } from './scan.ts';

export type WorkerRequest =
  /** Scan `job` (its `partitions` = the number of workers); this worker's partition of the fingerprints is `index`. */
  | { type: 'scan'; job: RangeJob; index: number }
  /** The other ranges' fingerprints of this worker's partition. */
  | { type: 'fingerprints'; lists: Int32Array[] };

export type WorkerReply =
  | { type: 'scanned'; scan: RangeScan; parts: Array<Int32Array | null> }
  | { type: 'suspects'; suspects: number[] }
  | { type: 'failed'; message: string };

const port = parentPort!;
let own: Int32Array | undefined;

port.on('message', (request: WorkerRequest) => {
  try {
    if (request.type === 'scan') {
      const { scan, fingerprints } = scanRange(request.job);
      own = fingerprints[request.index];
      const outgoing = fingerprints.map((part, i) => (i === request.index ? null : part));
      const transfer = outgoing.filter((p): p is Int32Array => p !== null).map((p) => p.buffer as ArrayBuffer);
      port.postMessage({ type: 'scanned', scan, parts: outgoing } satisfies WorkerReply, transfer);
    } else {
      const suspects = repeatedFingerprints([own ?? new Int32Array(0), ...request.lists]);
      own = undefined;
      port.postMessage({ type: 'suspects', suspects: [...suspects] } satisfies WorkerReply);
    }
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
  }
});
