// A worker thread of the generator: rebuilds the same model from the options, then turns block requests into
// UTF-8 CSV bytes (transferred, not copied) for the main thread to write in order.
import { parentPort, workerData } from 'node:worker_threads';
import { BLOCK_FILES, EntityGenerator, type BlockFile } from './entities.ts';
import type { InspectorPool } from './inspector-pool.ts';
import { buildModel, type ModelOptions } from './model.ts';
import { loadReference } from './reference.ts';

export interface WorkerInit {
  referenceDir: string;
  modelOptions: ModelOptions;
  pool: InspectorPool;
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

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const generator = new EntityGenerator(buildModel(loadReference(init.referenceDir), init.modelOptions), init.pool);
  port.on('message', (request: WorkerRequest) => {
    const block = generator.block(request.from, request.to);
    const bytes = {} as Record<BlockFile, Uint8Array>;
    const rows = {} as Record<BlockFile, number>;
    for (const f of BLOCK_FILES) {
      bytes[f] = block[f].view();
      rows[f] = block[f].rows;
    }
    const reply: WorkerReply = { block: request.block, bytes, rows };
    port.postMessage(reply, BLOCK_FILES.map((f) => bytes[f].buffer as ArrayBuffer));
  });
}
