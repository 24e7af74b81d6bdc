import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { sameAnswer, type Answer } from './diff';
import type { LocalEdit } from './merge';

/**
 * Where unsent edits wait in the browser until the server acknowledges them: they survive a
 * reload, a closed tab, a lost connection and a session that ended. One entry per question, keyed
 * by cycle, agency and question.
 */
export interface PendingStore {
  /** Every unsent edit of this response. */
  list(): Promise<Record<string, LocalEdit>>;
  put(questionId: string, edit: LocalEdit): Promise<void>;
  /**
   * Drops the entry once the server holds `value`, but only if the entry still holds it: another
   * tab of the same person may have written a newer answer to the same question meanwhile.
   */
  removeIf(questionId: string, value: Answer): Promise<void>;
  /** True when edits survive a reload (IndexedDB available), false for the in-memory fallback. */
  readonly durable: boolean;
}

interface Stored extends LocalEdit {
  at: string;
}

let shared: UseStore | null = null;
function idb(): UseStore {
  shared ??= createStore('dg-portal', 'unsent-answers');
  return shared;
}

/** IndexedDB (through idb-keyval's store), keys `[cycleId, agencyId, questionId]`. */
export class IdbPendingStore implements PendingStore {
  readonly durable = true;
  constructor(
    private readonly cycleId: string,
    private readonly agencyId: string,
    private readonly store: UseStore = idb(),
  ) {}

  private key(questionId: string): IDBValidKey {
    return [this.cycleId, this.agencyId, questionId];
  }

  async list(): Promise<Record<string, LocalEdit>> {
    // Arrays sort after strings in IndexedDB, so [c, a, []] bounds every [c, a, <question>].
    const range = IDBKeyRange.bound([this.cycleId, this.agencyId], [this.cycleId, this.agencyId, []]);
    const [keys, values] = await this.store('readonly', (s) =>
      Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))]),
    );
    const out: Record<string, LocalEdit> = {};
    keys.forEach((k, i) => {
      const id = Array.isArray(k) ? k[2] : undefined;
      const v = values[i] as Stored | undefined;
      if (typeof id === 'string' && v && typeof v === 'object' && 'value' in v) out[id] = { value: v.value, was: v.was ?? null };
    });
    return out;
  }

  put(questionId: string, edit: LocalEdit): Promise<void> {
    const entry: Stored = { value: edit.value, was: edit.was, at: new Date().toISOString() };
    return this.store('readwrite', (s) => {
      s.put(entry, this.key(questionId));
      return promisifyRequest(s.transaction);
    });
  }

  removeIf(questionId: string, value: Answer): Promise<void> {
    const key = this.key(questionId);
    return this.store('readwrite', (s) => {
      const req = s.get(key);
      // Read and delete in one transaction: nothing can write the key in between.
      req.onsuccess = () => {
        const v = req.result as Stored | undefined;
        if (v && sameAnswer(v.value, value)) s.delete(key);
      };
      return promisifyRequest(s.transaction);
    });
  }
}

/** For tests, and for browsers without IndexedDB (edits then last as long as the page). */
export class MemoryPendingStore implements PendingStore {
  readonly durable: boolean;
  readonly entries = new Map<string, LocalEdit>();
  constructor(initial: Record<string, LocalEdit> = {}, durable = false) {
    for (const [k, v] of Object.entries(initial)) this.entries.set(k, v);
    this.durable = durable;
  }
  list(): Promise<Record<string, LocalEdit>> {
    return Promise.resolve(Object.fromEntries(this.entries));
  }
  put(questionId: string, edit: LocalEdit): Promise<void> {
    this.entries.set(questionId, { ...edit });
    return Promise.resolve();
  }
  removeIf(questionId: string, value: Answer): Promise<void> {
    const e = this.entries.get(questionId);
    if (e && sameAnswer(e.value, value)) this.entries.delete(questionId);
    return Promise.resolve();
  }
}

/** IndexedDB when the browser has it and lets the page use it; memory otherwise. */
export async function openPendingStore(cycleId: string, agencyId: string): Promise<PendingStore> {
  if (typeof indexedDB === 'undefined') return new MemoryPendingStore();
  const store = new IdbPendingStore(cycleId, agencyId);
  try {
    await store.list();
    return store;
  } catch {
    return new MemoryPendingStore();
  }
}
