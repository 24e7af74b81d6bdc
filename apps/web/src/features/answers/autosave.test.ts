import { splitPatch, type Answers } from '@dg/survey-model';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../../api/problem';
import { TEST_QUESTIONNAIRE as Q } from '../../test/questionnaire';
import { AutosaveController, type SaveResultLike, type SaveTransport } from './autosave';
import { MemoryPendingStore } from './pending-store';

/** A server that holds one response and answers like the gateway (version check, merge). */
class FakeServer implements SaveTransport {
  version = 1;
  answers: Answers = {};
  calls: { version: number; answers: Answers }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  next: (() => Promise<never>) | null = null;
  reject: Record<string, string> = {};
  delayMs = 50;
  loads = 0;

  async save(version: number, answers: Answers): Promise<SaveResultLike> {
    this.calls.push({ version, answers });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.next) {
        const fail = this.next;
        this.next = null;
        return await fail();
      }
      if (version !== this.version) {
        throw new ApiProblem({ status: 409, code: 'RESPONSE_VERSION_CONFLICT', body: { currentVersion: this.version, answers: this.answers } });
      }
      const rejected = Object.keys(answers)
        .filter((id) => this.reject[id])
        .map((id) => ({ questionId: id, path: id, code: this.reject[id]!, message: 'refused', messageTh: 'ไม่รับ' }));
      for (const [id, v] of Object.entries(answers)) if (!this.reject[id]) this.answers[id] = v;
      this.version++;
      return { version: this.version, answers: { ...this.answers }, rejected };
    } finally {
      this.inFlight--;
    }
  }
  load() {
    this.loads++;
    return Promise.resolve({ version: this.version, answers: { ...this.answers } });
  }
  /** Someone else saves (another tab or coordinator). */
  elsewhere(answers: Answers) {
    Object.assign(this.answers, answers);
    this.version++;
  }
}

const network = () => Promise.reject(ApiProblem.network(new Error('offline')));

describe('AutosaveController', () => {
  let server: FakeServer;
  let store: MemoryPendingStore;
  let events: EventTarget;
  let online: boolean;
  let applied: Answers;
  const open = (options: Partial<Parameters<typeof AutosaveController.open>[1]> = {}) =>
    AutosaveController.open(
      { version: server.version, answers: { ...server.answers } },
      {
        transport: server,
        store,
        split: (base, patch) => splitPatch(Q, base, patch),
        isOnline: () => online,
        onApply: (a) => Object.assign(applied, a),
        events: events as unknown as Window,
        now: () => new Date('2023-06-01T07:32:00Z'),
        ...options,
      },
    );

  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeServer();
    store = new MemoryPendingStore({}, true);
    events = new EventTarget();
    online = true;
    applied = {};
  });
  afterEach(() => vi.useRealTimers());

  it('saves only the changed answers once typing pauses (800 ms), then drops them from the browser', async () => {
    server.answers = { g_name: 'old', p1_plan: true };
    const c = await open();
    c.edit('g_name', 'ส');
    c.edit('g_name', 'สม');
    await vi.advanceTimersByTimeAsync(300);
    expect(store.entries.get('g_name')?.value).toBe('สม'); // kept in the browser before it is sent
    c.edit('g_name', 'สมชาย');
    await vi.advanceTimersByTimeAsync(700);
    expect(server.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(120);
    expect(c.getSnapshot().phase).toBe('saving');
    await vi.advanceTimersByTimeAsync(60);
    expect(server.calls).toEqual([{ version: 1, answers: { g_name: 'สมชาย' } }]);
    const snap = c.getSnapshot();
    expect(snap.phase).toBe('saved');
    expect(snap.savedAt?.toISOString()).toBe('2023-06-01T07:32:00.000Z');
    expect(snap.version).toBe(2);
    await c.idle();
    expect(store.entries.size).toBe(0);
  });

  it('has one request in flight at a time; what was typed meanwhile follows in the next', async () => {
    server.delayMs = 2000;
    const c = await open();
    c.edit('g_name', 'a');
    await vi.advanceTimersByTimeAsync(900);
    c.edit('g_name', 'ab');
    c.edit('g_site', 'https://x.example');
    await vi.advanceTimersByTimeAsync(1000); // the debounce fires while the first is out
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(server.maxInFlight).toBe(1);
    expect(server.calls[1]).toEqual({ version: 2, answers: { g_name: 'ab', g_site: 'https://x.example' } });
    await vi.advanceTimersByTimeAsync(3000);
    expect(c.getSnapshot().unsent).toBe(0);
  });

  it('offline: keeps the edits in the browser and saves them when the connection is back', async () => {
    online = false;
    const c = await open();
    c.edit('g_name', 'ออฟไลน์');
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.getSnapshot().phase).toBe('offline');
    expect(server.calls).toEqual([]);
    expect(store.entries.get('g_name')?.value).toBe('ออฟไลน์');
    online = true;
    events.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(100);
    expect(server.answers.g_name).toBe('ออฟไลน์');
    expect(c.getSnapshot().phase).toBe('saved');
    await c.idle();
    expect(store.entries.size).toBe(0);
  });

  it('a request that cannot reach the server is offline too, and is tried again', async () => {
    const c = await open();
    server.next = network;
    c.edit('g_name', 'x');
    await vi.advanceTimersByTimeAsync(900);
    expect(c.getSnapshot().phase).toBe('offline');
    expect(c.getSnapshot().unsent).toBe(1);
    await vi.advanceTimersByTimeAsync(2100);
    expect(server.answers.g_name).toBe('x');
    expect(c.getSnapshot().phase).toBe('saved');
  });

  it('after a reload, replays the edits the browser kept', async () => {
    server.answers = { g_name: 'server' };
    store = new MemoryPendingStore({ g_name: { value: 'before reload', was: 'server' }, g_site: { value: 'https://kept.example', was: null } }, true);
    const c = await open();
    expect(c.getSnapshot().answers.g_name).toBe('before reload');
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls).toEqual([{ version: 1, answers: { g_name: 'before reload', g_site: 'https://kept.example' } }]);
    await c.idle();
    expect(store.entries.size).toBe(0);
  });

  it('409: applies the other changes, asks about the overlapping ones, then saves with the new version', async () => {
    server.answers = { g_name: 'a0', p1_level: 'low' };
    const c = await open();
    server.elsewhere({ g_name: 'theirs', p1_level: 'high' });
    c.edit('g_name', 'mine');
    c.edit('g_site', 'https://mine.example');
    await vi.advanceTimersByTimeAsync(900);
    // The overlapping one waits; the rest was saved with the new version right away.
    expect(applied).toEqual({ p1_level: 'high' });
    await vi.advanceTimersByTimeAsync(200);
    const snap = c.getSnapshot();
    expect(snap.phase).toBe('conflict');
    expect(snap.conflicts).toEqual([{ questionId: 'g_name', mine: 'mine', theirs: 'theirs' }]);
    expect(server.answers.g_site).toBe('https://mine.example');
    expect(server.answers.g_name).toBe('theirs');
    expect(store.entries.get('g_name')?.value).toBe('mine'); // nothing typed is lost while choosing
    c.resolve({ g_name: 'mine' });
    await vi.advanceTimersByTimeAsync(100);
    expect(server.answers.g_name).toBe('mine');
    expect(c.getSnapshot().phase).toBe('saved');
    expect(server.calls.at(-1)?.version).toBe(server.version - 1);
  });

  it('409 without the answers in the body: reads the response again', async () => {
    const c = await open();
    server.elsewhere({ p1_level: 'high' });
    server.next = () => Promise.reject(new ApiProblem({ status: 409, code: 'RESPONSE_VERSION_CONFLICT', body: { currentVersion: server.version } }));
    c.edit('g_name', 'x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.loads).toBe(1);
    expect(applied).toEqual({ p1_level: 'high' });
    await vi.advanceTimersByTimeAsync(200);
    expect(server.answers.g_name).toBe('x');
  });

  it('choosing theirs drops the local answer and shows theirs', async () => {
    server.answers = { g_name: 'a0' };
    const c = await open();
    server.elsewhere({ g_name: 'theirs' });
    c.edit('g_name', 'mine');
    await vi.advanceTimersByTimeAsync(1000);
    c.resolve({ g_name: 'theirs' });
    expect(applied.g_name).toBe('theirs');
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.getSnapshot().answers.g_name).toBe('theirs');
    await c.idle();
    expect(store.entries.size).toBe(0);
  });

  it('shows the problems survey-model finds at the field and sends the valid answers', async () => {
    const c = await open();
    c.edit('g_site', 'not a url');
    c.edit('g_name', 'ok');
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toEqual([{ version: 1, answers: { g_name: 'ok' } }]);
    expect(c.getSnapshot().problems.g_site?.[0]?.code).toBe('INVALID_URL');
    expect(c.getSnapshot().answers.g_site).toBe('not a url'); // stays in the form
    expect(store.entries.get('g_site')?.value).toBe('not a url');
  });

  it('keeps an answer the server refuses (rejected[]) with its message, and does not resend it', async () => {
    server.reject = { p1_level: 'NOT_AN_OPTION' };
    const c = await open();
    c.edit('p1_level', 'high');
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.getSnapshot().problems.p1_level?.[0]?.code).toBe('NOT_AN_OPTION');
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.calls).toHaveLength(1);
  });

  it('retries after a server failure, and stops for good when the response is locked', async () => {
    const c = await open();
    server.next = () => Promise.reject(new ApiProblem({ status: 503, code: 'SERVICE_UNAVAILABLE' }));
    c.edit('g_name', 'x');
    await vi.advanceTimersByTimeAsync(900);
    expect(c.getSnapshot().phase).toBe('retrying');
    expect(c.getSnapshot().retryAt).not.toBeNull();
    server.next = () => Promise.reject(new ApiProblem({ status: 409, code: 'RESPONSE_LOCKED' }));
    await vi.advanceTimersByTimeAsync(2100);
    expect(c.getSnapshot().phase).toBe('locked');
    expect(c.getSnapshot().error?.code).toBe('RESPONSE_LOCKED');
    c.edit('g_name', 'y');
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.calls).toHaveLength(2);
    expect(store.entries.get('g_name')?.value).toBe('y'); // kept in the browser all the same
  });
});
