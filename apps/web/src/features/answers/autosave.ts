import type { Answers } from '@dg/survey-model';
import { isApiProblem, type ApiProblem } from '../../api/problem';
import type { Answer } from './diff';
import type { Choice, Conflict, Edits } from './merge';
import type { PendingStore } from './pending-store';
import {
  abortSave,
  acknowledge,
  chooseInConflicts,
  conflictWith,
  currentAnswers,
  editAnswer,
  initialQueue,
  planSave,
  startSave,
  unsentIds,
  type Ack,
  type FieldProblem,
  type QueueState,
  type ServerResponse,
  type SplitPatch,
} from './queue';

/**
 * - `idle`: nothing changed since the page opened;
 * - `pending`: changes wait for the pause in typing (debounce);
 * - `saving`: one request on its way;
 * - `saved`: the server holds every answer it accepts (`savedAt`);
 * - `offline`: no connection; edits wait in the browser and go when it is back;
 * - `retrying`: the server failed; the save is tried again at `retryAt`;
 * - `conflict`: someone else changed the same questions; the person chooses (`conflicts`);
 * - `locked`: the server will not take answers now (submitted, deadline passed, no access);
 *   edits stay in the browser.
 */
export type SavePhase = 'idle' | 'pending' | 'saving' | 'saved' | 'offline' | 'retrying' | 'conflict' | 'locked';

export interface AutosaveSnapshot {
  readonly phase: SavePhase;
  readonly version: number;
  /** What the form shows: the server's answers with the local edits over them. */
  readonly answers: Answers;
  /** Questions whose answer the server does not hold yet. */
  readonly unsent: number;
  readonly savedAt: Date | null;
  /** Last time answers saved elsewhere were merged into this page. */
  readonly mergedAt: Date | null;
  /** Per question: what survey-model (here or in intake) found wrong; such answers are not sent. */
  readonly problems: Readonly<Record<string, readonly FieldProblem[]>>;
  readonly conflicts: readonly Conflict[];
  /** Why the page is `locked` or `retrying`. */
  readonly error: ApiProblem | null;
  readonly retryAt: Date | null;
  /** False when the browser keeps unsent edits in memory only (no IndexedDB). */
  readonly durable: boolean;
}

export interface SaveResultLike extends ServerResponse {
  rejected: readonly FieldProblem[];
}

export interface SaveTransport {
  /** `PATCH .../answers` with the version last read. Throws ApiProblem. */
  save(version: number, answers: Answers): Promise<SaveResultLike>;
  /** `GET` the response (after a 409 whose body has no answers). */
  load(): Promise<ServerResponse>;
}

type EventSource = Pick<Window, 'addEventListener' | 'removeEventListener'>;

export interface AutosaveOptions {
  transport: SaveTransport;
  store: PendingStore;
  /** survey-model's `splitPatch` for the questionnaire (the same check intake runs on save). */
  split: SplitPatch;
  /** Pause in typing before a save (ms). */
  debounceMs?: number;
  /** How long local unsent edits wait before they are written to the browser's store (ms). */
  persistMs?: number;
  now?: () => Date;
  isOnline?: () => boolean;
  /** Answers the form must show now (others' changes merged in, a conflict resolved as "theirs"). */
  onApply?: (answers: Answers) => void;
  /** After each acknowledged save (e.g. to refresh cached copies of the response). */
  onSaved?: (result: SaveResultLike) => void;
  /** The window, for online / pagehide events; null to leave them (tests). */
  events?: EventSource | null;
}

const RETRY_STEPS_MS = [2_000, 5_000, 15_000, 30_000, 60_000];

/**
 * Autosave of one response: only changed answers, after a pause in typing, one request at a time;
 * unsent edits kept in the browser and replayed after a reload or when the connection is back;
 * a 409 merged per question. The decisions are the pure functions of `queue.ts`; this class adds
 * the timers, the requests and the browser store, and publishes a snapshot for React
 * (`subscribe` / `getSnapshot`, for useSyncExternalStore).
 */
export class AutosaveController {
  private state: QueueState;
  private held: Record<string, FieldProblem[]> = {};
  private phase: SavePhase = 'idle';
  private savedAt: Date | null = null;
  private mergedAt: Date | null = null;
  private error: ApiProblem | null = null;
  private retryAt: Date | null = null;
  private retries = 0;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private toPersist = new Set<string>();
  private io: Promise<void> = Promise.resolve();
  private again = false;
  private disposed = false;
  private snap: AutosaveSnapshot;
  private problemsCache: Record<string, readonly FieldProblem[]> = {};
  private readonly listeners = new Set<() => void>();
  private readonly opts: Required<Omit<AutosaveOptions, 'onApply' | 'onSaved' | 'events'>> &
    Pick<AutosaveOptions, 'onApply' | 'onSaved' | 'events'>;

  /** Builds the controller from the server's response and the edits the browser kept. */
  static async open(server: ServerResponse, options: AutosaveOptions): Promise<AutosaveController> {
    let stored: Edits = {};
    try {
      stored = await options.store.list();
    } catch {
      // An unreadable store is no reason to keep the questionnaire closed.
    }
    const c = new AutosaveController(initialQueue(server, stored), options);
    // Entries the server already holds (saved just before a reload) are done.
    for (const [id, e] of Object.entries(stored)) {
      if (!Object.hasOwn(c.state.edits, id)) c.enqueue(() => options.store.removeIf(id, e.value));
    }
    // Edits the server does not know yet go as soon as the page is up (replay after a reload).
    if (c.state.conflicts.length === 0 && unsentIds(c.state).length > 0) c.schedule(0);
    return c;
  }

  constructor(state: QueueState, options: AutosaveOptions) {
    this.opts = {
      debounceMs: 800,
      persistMs: 200,
      now: () => new Date(),
      isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine),
      ...options,
    };
    this.state = state;
    if (state.conflicts.length > 0) this.phase = 'conflict';
    else if (unsentIds(state).length > 0) this.phase = 'pending';
    this.snap = this.build();
    const ev = this.opts.events;
    if (ev) {
      ev.addEventListener('online', this.onOnline);
      ev.addEventListener('offline', this.onOffline);
      ev.addEventListener('pagehide', this.onHide);
      ev.addEventListener('visibilitychange', this.onVisibility);
    }
  }

  // --- for React ---

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): AutosaveSnapshot => this.snap;

  // --- what the page calls ---

  /** A change in the form (the answer as survey-model reads it). */
  edit(questionId: string, value: Answer): void {
    if (this.disposed) return;
    this.state = editAnswer(this.state, questionId, value);
    this.toPersist.add(questionId);
    this.schedulePersist();
    if (this.phase === 'idle' || this.phase === 'saved') this.phase = 'pending';
    if (this.phase !== 'locked' && this.phase !== 'conflict') this.schedule(this.opts.debounceMs);
    this.emit();
  }

  /** Saves now (after the debounce, on reconnection, on "try now"). */
  async flush(): Promise<void> {
    this.clearTimer('debounce');
    if (this.disposed || this.phase === 'locked') return;
    if (this.state.inFlight) {
      this.again = true;
      return;
    }
    if (!this.opts.isOnline()) {
      this.phase = 'offline';
      this.emit();
      return;
    }
    const plan = planSave(this.state, this.opts.split);
    this.setHeld(plan.held);
    if (Object.keys(plan.patch).length === 0) {
      this.settle();
      this.emit();
      return;
    }
    this.state = startSave(this.state, plan.patch);
    // A conflict waiting for a choice stays in view while the other answers are saved.
    this.phase = this.state.conflicts.length ? 'conflict' : 'saving';
    this.emit();
    try {
      const result = await this.opts.transport.save(this.state.version, plan.patch);
      if (this.disposed) return;
      this.acknowledged(result);
      this.opts.onSaved?.(result);
    } catch (e) {
      if (this.disposed) return;
      await this.failed(e);
    }
    if (this.again && !this.disposed) {
      this.again = false;
      this.schedule(0);
    }
  }

  /** The merge dialog's answer: a choice per conflicting question. */
  resolve(choices: Readonly<Record<string, Choice>>): void {
    const before = this.state.edits;
    const r = chooseInConflicts(this.state, choices);
    this.state = r.state;
    this.done(r.done, before);
    for (const id of Object.keys(r.state.edits)) this.toPersist.add(id);
    this.schedulePersist();
    if (Object.keys(r.apply).length) this.opts.onApply?.(r.apply);
    if (this.state.conflicts.length === 0) {
      this.phase = unsentIds(this.state).length ? 'pending' : 'saved';
      this.schedule(0);
    }
    this.emit();
  }

  /** "Try now" after a failure or while offline. */
  retryNow(): void {
    this.clearTimer('retry');
    this.retryAt = null;
    if (this.phase === 'retrying' || this.phase === 'offline') this.phase = 'pending';
    void this.flush();
  }

  /** Writes every unsent edit to the browser's store now (before the page goes away). */
  persistNow(): Promise<void> {
    this.clearTimer('persist');
    const ids = [...this.toPersist];
    this.toPersist.clear();
    for (const id of ids) {
      const e = this.state.edits[id];
      if (e) this.enqueue(() => this.opts.store.put(id, e));
    }
    return this.io;
  }

  dispose(): void {
    if (this.disposed) return;
    void this.persistNow();
    this.disposed = true;
    this.clearTimer('debounce');
    this.clearTimer('retry');
    const ev = this.opts.events;
    if (ev) {
      ev.removeEventListener('online', this.onOnline);
      ev.removeEventListener('offline', this.onOffline);
      ev.removeEventListener('pagehide', this.onHide);
      ev.removeEventListener('visibilitychange', this.onVisibility);
    }
    this.listeners.clear();
  }

  /** Settles pending writes to the browser's store (tests, and before a reload). */
  idle(): Promise<void> {
    return this.persistNow();
  }

  // --- outcomes ---

  private acknowledged(result: SaveResultLike): void {
    const before = this.state.edits;
    const { state, done, apply } = acknowledge(this.state, result);
    this.state = state;
    this.done(done, before);
    if (Object.keys(apply).length) this.opts.onApply?.(apply);
    for (const id of Object.keys(state.edits)) this.toPersist.add(id); // `was` moved on
    this.schedulePersist();
    this.retries = 0;
    this.error = null;
    this.retryAt = null;
    this.savedAt = this.opts.now();
    this.settle();
    this.emit();
  }

  private async failed(e: unknown): Promise<void> {
    const problem = isApiProblem(e) ? e : null;
    if (problem?.code === 'RESPONSE_VERSION_CONFLICT') {
      let server: ServerResponse | null = serverFrom409(problem);
      if (!server) {
        try {
          server = await this.opts.transport.load();
        } catch (loadError) {
          this.state = abortSave(this.state);
          this.retryLater(isApiProblem(loadError) ? loadError : problem);
          return;
        }
      }
      const before = this.state.edits;
      const r = conflictWith(this.state, server);
      this.state = r.state;
      this.done(r.done, before);
      for (const id of Object.keys(r.state.edits)) this.toPersist.add(id);
      this.schedulePersist();
      this.mergedAt = this.opts.now();
      if (Object.keys(r.apply).length) this.opts.onApply?.(r.apply);
      // The answers that do not overlap are saved with the new version at once; the overlapping
      // ones wait for the person's choice.
      this.phase = r.state.conflicts.length ? 'conflict' : 'pending';
      this.emit();
      this.schedule(0);
      return;
    }
    if (problem?.code === 'ANSWERS_INVALID') {
      // Every answer of the patch refused: nothing saved, the version unchanged.
      const rejected = problem.errors.map((fe) => fieldProblemOf(fe));
      const { state } = acknowledge(this.state, { version: this.state.version, answers: this.state.base, rejected });
      this.state = state;
      this.settle();
      this.emit();
      return;
    }
    this.state = abortSave(this.state);
    if (!problem || problem.status === 0) {
      this.phase = 'offline';
      this.error = problem;
      this.retryLater(problem, false);
      return;
    }
    if (problem.status >= 500 || problem.status === 429 || problem.status === 408) {
      this.retryLater(problem);
      return;
    }
    // 4xx: the response is not editable now (submitted, deadline passed, no access). The edits
    // stay in the browser; nothing is sent until the page is opened again.
    this.phase = 'locked';
    this.error = problem;
    this.clearTimer('debounce');
    this.emit();
  }

  private retryLater(problem: ApiProblem | null, asRetrying = true): void {
    const wait =
      problem?.retryAfter != null
        ? problem.retryAfter * 1000
        : RETRY_STEPS_MS[Math.min(this.retries, RETRY_STEPS_MS.length - 1)]!;
    this.retries++;
    if (asRetrying) {
      this.phase = 'retrying';
      this.error = problem;
    }
    this.retryAt = new Date(this.opts.now().getTime() + wait);
    this.clearTimer('retry');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryAt = null;
      void this.flush();
    }, wait);
    this.emit();
  }

  /** The phase once nothing is on its way. */
  private settle(): void {
    // Answers held back (invalid, refused, hidden) are not "waiting to be saved": they wait for
    // the person, and the page says so at each of them.
    if (this.state.conflicts.length) this.phase = 'conflict';
    else this.phase = this.savedAt || this.mergedAt ? 'saved' : 'idle';
    // Unsent answers that are valid and not refused: another save follows the pause in typing.
    if (!this.again && !this.debounce && planSaveHasWork(this.state, this.opts.split)) {
      if (!this.state.conflicts.length) this.phase = 'pending';
      this.schedule(this.opts.debounceMs);
    }
  }

  /** Edits that are over: dropped from the browser's store if it still holds what they held. */
  private done(ids: readonly string[], before: Edits): void {
    for (const id of ids) {
      this.toPersist.delete(id);
      const value = before[id]?.value ?? null;
      this.enqueue(() => this.opts.store.removeIf(id, value));
    }
  }

  private setHeld(held: Record<string, FieldProblem[]>): void {
    this.held = held;
  }

  // --- events ---

  private onOnline = (): void => {
    if (this.phase === 'offline' || this.phase === 'retrying' || unsentIds(this.state).length) this.retryNow();
  };
  private onOffline = (): void => {
    if (this.phase === 'pending' || this.phase === 'saving') {
      this.phase = 'offline';
      this.emit();
    }
  };
  private onHide = (): void => {
    void this.persistNow();
  };
  private onVisibility = (): void => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
      void this.persistNow();
      if (this.debounce) void this.flush();
    }
  };

  // --- plumbing ---

  private schedule(ms: number): void {
    this.clearTimer('debounce');
    if (this.disposed) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.flush();
    }, ms);
  }

  private schedulePersist(): void {
    if (this.persistTimer || this.disposed) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      void this.persistNow();
    }, this.opts.persistMs);
  }

  private clearTimer(which: 'debounce' | 'retry' | 'persist'): void {
    const t = which === 'debounce' ? this.debounce : which === 'retry' ? this.retryTimer : this.persistTimer;
    if (t) clearTimeout(t);
    if (which === 'debounce') this.debounce = null;
    else if (which === 'retry') this.retryTimer = null;
    else this.persistTimer = null;
  }

  /** Store writes run one after another, in the order they were decided. */
  private enqueue(op: () => Promise<void>): void {
    this.io = this.io.then(op).catch(() => {
      // A failed write (quota, private mode) must not stop the next ones.
    });
  }

  private emit(): void {
    this.snap = this.build();
    for (const l of this.listeners) l();
  }

  private build(): AutosaveSnapshot {
    return {
      phase: this.phase,
      version: this.state.version,
      answers: this.answersCached(),
      unsent: unsentIds(this.state).length,
      savedAt: this.savedAt,
      mergedAt: this.mergedAt,
      problems: this.problems(),
      conflicts: this.state.conflicts,
      error: this.error,
      retryAt: this.retryAt,
      durable: this.opts.store.durable,
    };
  }

  private answersFor: QueueState | null = null;
  private answersValue: Answers = {};
  private answersCached(): Answers {
    if (this.answersFor?.base !== this.state.base || this.answersFor.edits !== this.state.edits) {
      this.answersFor = this.state;
      this.answersValue = currentAnswers(this.state);
    }
    return this.answersValue;
  }

  /** Problems per question, the same array objects while nothing about them changed. */
  private problems(): Record<string, readonly FieldProblem[]> {
    const next: Record<string, readonly FieldProblem[]> = {};
    const add = (id: string, list: readonly FieldProblem[]) => {
      // An answer kept back because another answer hides its question waits silently.
      const shown = list.filter((p) => p.code !== 'HIDDEN_QUESTION');
      if (shown.length) next[id] = [...(next[id] ?? []), ...shown];
    };
    for (const [id, list] of Object.entries(this.held)) add(id, list);
    for (const [id, r] of Object.entries(this.state.refused)) {
      if (!Object.hasOwn(this.held, id)) add(id, r.problems);
    }
    let same = Object.keys(next).length === Object.keys(this.problemsCache).length;
    for (const [id, list] of Object.entries(next)) {
      const old = this.problemsCache[id];
      if (old && sameProblems(old, list)) next[id] = old;
      else same = false;
    }
    if (same) return this.problemsCache;
    this.problemsCache = next;
    return next;
  }
}

function planSaveHasWork(s: QueueState, split: SplitPatch): boolean {
  return Object.keys(planSave(s, split).patch).length > 0;
}

function sameProblems(a: readonly FieldProblem[], b: readonly FieldProblem[]): boolean {
  return a.length === b.length && a.every((p, i) => p.path === b[i]!.path && p.code === b[i]!.code && p.messageTh === b[i]!.messageTh);
}

/** A 409 body that carries the current answers (the gateway adds them), else null. */
function serverFrom409(problem: ApiProblem): ServerResponse | null {
  const b = problem.body;
  const version = b.currentVersion;
  const answers = b.answers;
  if (typeof version === 'number' && answers && typeof answers === 'object' && !Array.isArray(answers)) {
    return { version, answers: answers as Record<string, unknown> };
  }
  return null;
}

/** A 422's `errors[]` entry as a field problem (its path starts at the question id). */
function fieldProblemOf(fe: { path?: string; code: string; message: string; messageTh?: string }): FieldProblem {
  const path = fe.path ?? '';
  const questionId = /^[^[.]+/.exec(path)?.[0] ?? path;
  return { questionId, path, code: fe.code, message: fe.message, messageTh: fe.messageTh ?? fe.message };
}

export type { Ack };
