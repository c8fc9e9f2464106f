// A worker thread of the generator: rebuilds the same model from the options, then turns block requests into
// UTF-8 CSV bytes (transferred, not copied) for the main thread to write in order, or (v2's pre-pass) into the
// counts of each draw stratum.
import { parentPort, workerData } from 'node:worker_threads';
import { BLOCK_FILES, type Block, type BlockFile } from './entities.ts';
import type { DrawCounts } from './entities-v2.ts';
import type { InspectorPool } from './inspector-pool.ts';
import { buildModel, type ModelOptions } from './model.ts';
import { loadReference } from './reference.ts';
import { makeGenerator, countBlock } from './make.ts';

export interface WorkerInit {
  referenceDir: string;
  modelOptions: ModelOptions;
  pool: InspectorPool;
  /** 'count': reply with each block's draw counts; 'emit': with its CSV bytes, using `counts` (v2). */
  task: 'count' | 'emit';
  counts?: DrawCounts;
}

export interface WorkerRequest {
  block: number;
  from: number;
  to: number;
}

export interface WorkerReply {
  block: number;
  bytes: Record<BlockFile, Uint8Array>;
  rows: Record<BlockFile, number>;
}

/** The reply to a block request of the 'count' task. */
export interface CountReply {
  block: number;
  counts: DrawCounts;
}

/** A block's bytes and rows per file, as a reply (the bytes are views whose buffers can be transferred). */
export function blockReply(blockIndex: number, block: Block): WorkerReply {
  const bytes = {} as Record<BlockFile, Uint8Array>;
  const rows = {} as Record<BlockFile, number>;
  for (const f of BLOCK_FILES) {
    bytes[f] = block[f].view();
    rows[f] = block[f].rows;
  }
  return { block: blockIndex, bytes, rows };
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const model = buildModel(loadReference(init.referenceDir), init.modelOptions);
  const generator = makeGenerator(model, init.pool, init.counts);
  port.on('message', (request: WorkerRequest) => {
    if (init.task === 'count') {
      const counts = countBlock(model, generator, request.from, request.to);
      port.postMessage({ block: request.block, counts } satisfies CountReply);
      return;
    }
    const reply = blockReply(request.block, generator.block(request.from, request.to));
    port.postMessage(reply, BLOCK_FILES.map((f) => reply.bytes[f].buffer as ArrayBuffer));
  });
}
