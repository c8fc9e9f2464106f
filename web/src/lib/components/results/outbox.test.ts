import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api';
import { Outbox, type OutboxStorage, type QueuedEntry } from './outbox';

function memory(): OutboxStorage {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}
const entry = (objectId: string, outcomeCode = 'FIXED') => ({ drawId: 'D2026-0001', objectId, itemCode: 'SAMR-001', outcomeCode, inspectedOn: '2026-05-13', findings: null });

describe('the results outbox', () => {
  it('keeps entries made offline, one per result, and sends them in order once the network is back', async () => {
    const box = new Outbox(memory(), 'op');
    box.add(entry('A'));
    box.add(entry('B', 'PENDING'));
    box.add(entry('B'));
    expect(box.list().map((e) => [e.objectId, e.outcomeCode])).toEqual([
      ['A', 'FIXED'],
      ['B', 'FIXED'],
    ]);
    const offline = await box.flush(() => Promise.reject(new TypeError('Failed to fetch')), () => Promise.reject(new Error('unused')));
    expect(offline).toEqual({ sent: 0, waiting: 2 });
    const sentTo: string[] = [];
    expect(await box.flush(async (e) => sentTo.push(e.objectId), () => Promise.reject(new Error('unused')))).toEqual({ sent: 2, waiting: 0 });
    expect(sentTo).toEqual(['A', 'B']);
    expect(new Outbox(memory(), 'other').list()).toEqual([]);
  });

  it('counts a result the server already holds with the same content as sent, and keeps a different one with its reason', async () => {
    const box = new Outbox(memory(), 'op');
    box.add(entry('A'));
    box.add(entry('B'));
    const already = new ApiError(409, 'already entered', 'result.already_entered');
    const held: Record<string, string> = { A: 'FIXED', B: 'NO_PROBLEM' };
    const result = await box.flush(
      () => Promise.reject(already),
      async (key) => ({ outcomeCode: held[key.objectId], inspectedOn: '2026-05-13', findings: null }),
    );
    expect(result).toEqual({ sent: 1, waiting: 1 });
    const [left] = box.list() as QueuedEntry[];
    expect(left).toMatchObject({ objectId: 'B', problem: 'already entered' });
    // A refused entry is not sent again until the person discards it.
    expect(await box.flush(() => Promise.reject(new Error('must not be sent')), () => Promise.reject(new Error('unused')))).toEqual({ sent: 0, waiting: 1 });
    box.discard(left);
    expect(box.list()).toEqual([]);
  });
});
