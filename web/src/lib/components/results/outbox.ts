// Results entered in the field are kept on the phone until the server has them. An entry that cannot be sent (no
// network) waits in the browser's storage and goes when the browser is online again. Sending is idempotent: a result
// the server already holds with the same content counts as sent (an earlier attempt got through, its answer was lost),
// so an entry is recorded once however often it is sent.
import type { ResultKey } from '$engine/api/types';
import { ApiError } from '$lib/api';
import { assignmentKey } from './results';

export interface QueuedEntry extends ResultKey {
  outcomeCode: string;
  inspectedOn: string;
  findings: string | null;
  queuedAt: string;
  /** Why the server refused it (kept for the person to see and discard); absent while it only waits for the network. */
  problem?: string;
}

export type EntryContent = Pick<QueuedEntry, 'outcomeCode' | 'inspectedOn' | 'findings'>;

/** The part of localStorage the outbox uses (a plain object in tests). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Dispatched on window when an entry is queued, so the page's outbox shows it. */
export const OUTBOX_CHANGED = 'fairdraw:outbox';

/** The request failed before any answer: no network, or the server unreachable. */
export const isNetworkFailure = (err: unknown): boolean => err instanceof TypeError || (err instanceof ApiError && err.status === 0);

export class Outbox {
  constructor(
    private readonly storage: OutboxStorage,
    /** One outbox per account on a shared phone. */
    private readonly name: string,
  ) {}

  private get key() {
    return `fairdraw.outbox.${this.name}`;
  }

  list(): QueuedEntry[] {
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? '[]') as QueuedEntry[];
    } catch {
      return [];
    }
  }

  private save(entries: QueuedEntry[]): void {
    this.storage.setItem(this.key, JSON.stringify(entries));
  }

  /** Keeps `entry` until it is sent; a later entry for the same result replaces an earlier one. */
  add(entry: Omit<QueuedEntry, 'queuedAt' | 'problem'>, now = new Date()): void {
    const others = this.list().filter((e) => assignmentKey(e) !== assignmentKey(entry));
    this.save([...others, { ...entry, queuedAt: now.toISOString() }]);
  }

  discard(key: ResultKey): void {
    this.save(this.list().filter((e) => assignmentKey(e) !== assignmentKey(key)));
  }

  /**
   * Sends the waiting entries in the order they were made; stops at the first network failure (the rest wait too).
   * `current` reads the result the server holds, to tell a lost answer (same content: sent) from a different result.
   */
  async flush(send: (entry: QueuedEntry) => Promise<unknown>, current: (key: ResultKey) => Promise<EntryContent>): Promise<{ sent: number; waiting: number }> {
    let sent = 0;
    for (const entry of this.list()) {
      if (entry.problem) continue;
      try {
        await send(entry);
        sent++;
        this.discard(entry);
      } catch (err) {
        if (isNetworkFailure(err)) break;
        if (err instanceof ApiError && err.code === 'result.already_entered') {
          const held = await current(entry).catch(() => null);
          if (held && sameContent(held, entry)) {
            sent++;
            this.discard(entry);
            continue;
          }
        }
        this.save(this.list().map((e) => (assignmentKey(e) === assignmentKey(entry) ? { ...e, problem: (err as Error).message } : e)));
      }
    }
    return { sent, waiting: this.list().length };
  }
}

const sameContent = (a: EntryContent, b: EntryContent) => a.outcomeCode === b.outcomeCode && a.inspectedOn === b.inspectedOn && (a.findings ?? null) === (b.findings ?? null);
