import { splitPatch, type Answers } from '@dg/survey-model';
import { describe, expect, it } from 'vitest';
import { TEST_QUESTIONNAIRE as Q } from '../../test/questionnaire';
import {
  acknowledge,
  chooseInConflicts,
  conflictWith,
  currentAnswers,
  editAnswer,
  initialQueue,
  planSave,
  startSave,
  unsentIds,
  type QueueState,
  type SplitPatch,
} from './queue';

const split: SplitPatch = (base, patch) => splitPatch(Q, base, patch);
const start = (answers: Answers = {}, version = 1): QueueState => initialQueue({ version, answers }, {});

describe('the autosave queue', () => {
  it('sends only the changed answers', () => {
    let s = start({ g_name: 'สมชาย', p1_plan: true });
    s = editAnswer(s, 'g_name', 'สมหญิง');
    s = editAnswer(s, 'p1_plan', true); // the same as the server's: no change
    expect(planSave(s, split).patch).toEqual({ g_name: 'สมหญิง' });
  });

  it('an answer put back to the server’s is no longer an edit', () => {
    let s = start({ g_name: 'a' });
    s = editAnswer(s, 'g_name', 'b');
    s = editAnswer(s, 'g_name', 'a');
    expect(unsentIds(s)).toEqual([]);
  });

  it('holds back what survey-model refuses, with the problem, and still sends the rest', () => {
    let s = start({ p1_plan: true });
    s = editAnswer(s, 'p1_plan_year', 2600); // out of 2550..2570
    s = editAnswer(s, 'g_site', 'javascript:alert(1)');
    s = editAnswer(s, 'p1_level', 'high');
    const plan = planSave(s, split);
    expect(plan.patch).toEqual({ p1_level: 'high' });
    expect(plan.held.p1_plan_year?.[0]?.code).toBe('OUT_OF_RANGE');
    expect(plan.held.g_site?.[0]?.code).toBe('INVALID_URL');
  });

  it('keeps an answer to a question another answer hides, silently, until it is shown again', () => {
    let s = start({ p1_plan: false });
    s = editAnswer(s, 'p1_plan_year', 2560);
    const plan = planSave(s, split);
    expect(plan.patch).toEqual({});
    expect(plan.held.p1_plan_year?.[0]?.code).toBe('HIDDEN_QUESTION');
    s = editAnswer(s, 'p1_plan', true);
    expect(planSave(s, split).patch).toEqual({ p1_plan: true, p1_plan_year: 2560 });
  });

  it('an acknowledgement ends the edits the server now holds; typing during the save stays unsent', () => {
    let s = start({}, 4);
    s = editAnswer(s, 'g_name', 'ab');
    s = startSave(s, planSave(s, split).patch);
    s = editAnswer(s, 'g_name', 'abc'); // typed on while the request was out
    const { state, done } = acknowledge(s, { version: 5, answers: { g_name: 'ab' }, rejected: [] });
    expect(done).toEqual([]);
    expect(state.version).toBe(5);
    expect(state.edits.g_name).toEqual({ value: 'abc', was: 'ab' });
    expect(planSave(state, split).patch).toEqual({ g_name: 'abc' });
  });

  it('an answer put back while its save is out is saved again after it', () => {
    let s = start({ g_name: 'a' });
    s = editAnswer(s, 'g_name', 'b');
    s = startSave(s, planSave(s, split).patch);
    s = editAnswer(s, 'g_name', 'a');
    const { state } = acknowledge(s, { version: 2, answers: { g_name: 'b' }, rejected: [] });
    expect(planSave(state, split).patch).toEqual({ g_name: 'a' });
  });

  it('remembers what the server refused and does not send it again until it changes', () => {
    let s = start({}, 1);
    s = editAnswer(s, 'g_name', 'ok');
    s = editAnswer(s, 'p1_level', 'high');
    s = startSave(s, planSave(s, split).patch);
    const refusal = { questionId: 'p1_level', path: 'p1_level', code: 'NOT_AN_OPTION', message: 'no', messageTh: 'ไม่ใช่' };
    const { state, done } = acknowledge(s, { version: 2, answers: { g_name: 'ok' }, rejected: [refusal] });
    expect(done).toEqual(['g_name']);
    expect(state.refused.p1_level?.problems).toEqual([refusal]);
    expect(currentAnswers(state).p1_level).toBe('high'); // stays in the form
    expect(planSave(state, split).patch).toEqual({});
    const changed = editAnswer(state, 'p1_level', 'low');
    expect(changed.refused.p1_level).toBeUndefined();
    expect(planSave(changed, split).patch).toEqual({ p1_level: 'low' });
  });

  it('409: merges per question and waits for a choice where both changed', () => {
    let s = start({ g_name: 'a0', p1_level: 'low' }, 3);
    s = editAnswer(s, 'g_name', 'mine');
    s = editAnswer(s, 'g_site', 'https://mine.example');
    s = startSave(s, planSave(s, split).patch);
    const r = conflictWith(s, { version: 5, answers: { g_name: 'theirs', p1_level: 'high' } });
    expect(r.state.version).toBe(5);
    expect(r.state.inFlight).toBeNull();
    expect(r.apply).toEqual({ p1_level: 'high' });
    expect(r.state.conflicts).toEqual([{ questionId: 'g_name', mine: 'mine', theirs: 'theirs' }]);
    // The edit that does not overlap goes on with the new version; the conflict waits.
    expect(planSave(r.state, split).patch).toEqual({ g_site: 'https://mine.example' });
    const chosen = chooseInConflicts(r.state, { g_name: 'mine' });
    expect(chosen.state.conflicts).toEqual([]);
    expect(planSave(chosen.state, split).patch).toEqual({ g_name: 'mine', g_site: 'https://mine.example' });
    const theirs = chooseInConflicts(r.state, { g_name: 'theirs' });
    expect(theirs.apply).toEqual({ g_name: 'theirs' });
    expect(theirs.done).toEqual(['g_name']);
    expect(currentAnswers(theirs.state).g_name).toBe('theirs');
  });

  it('after a reload, edits kept in the browser are merged with the server’s answers', () => {
    const s = initialQueue(
      { version: 9, answers: { g_name: 'theirs', g_site: 'https://a.example' } },
      { g_name: { value: 'mine', was: 'before' }, g_site: { value: 'https://b.example', was: 'https://a.example' } },
    );
    expect(s.conflicts).toEqual([{ questionId: 'g_name', mine: 'mine', theirs: 'theirs' }]);
    expect(planSave(s, split).patch).toEqual({ g_site: 'https://b.example' });
  });
});
