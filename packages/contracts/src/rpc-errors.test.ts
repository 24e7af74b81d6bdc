import { ErrorCatalog, type ErrorCode } from './errors';
import { RpcErrorCodes, rpcErrorCodes, UNIVERSAL_RPC_ERROR_CODES } from './rpc-errors';
import { Rpc, type RpcSubject } from './subjects';

/** Handlers that refuse nothing of their own: no role check, no lookup that can miss. */
const REFUSE_NOTHING: RpcSubject[] = [
  Rpc.MinistryList,
  Rpc.ProvinceList,
  Rpc.CycleList,
  Rpc.ResultsPublishedCycles,
];

/** Codes no RPC answers: the gateway's own (login, users, uploads, rate limit) and scoring jobs'. */
const NOT_FROM_ANY_RPC: ErrorCode[] = [
  'INVALID_CREDENTIALS',
  'USER_NOT_FOUND',
  'EMAIL_TAKEN',
  'USER_VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'JSON_TOO_DEEP',
  'URI_TOO_LONG',
  'RATE_LIMITED',
  'SCORING_QUESTIONNAIRE_MISMATCH',
  // The gateway's query check (QueryParamsInterceptor), before any RPC.
  'UNKNOWN_QUERY_PARAMETER',
];

const subjects = Object.values(Rpc);

describe('RPC error codes', () => {
  it('lists the codes of every RPC subject, and of no other', () => {
    expect(Object.keys(RpcErrorCodes).sort()).toEqual([...subjects].sort());
  });

  it('lists only codes of the ErrorCatalog', () => {
    for (const subject of subjects) {
      for (const code of rpcErrorCodes(subject)) {
        expect({ subject, code, known: code in ErrorCatalog }).toEqual({ subject, code, known: true });
      }
    }
  });

  it('gives a non-empty list to every handler that can refuse', () => {
    for (const subject of subjects) {
      const own = RpcErrorCodes[subject];
      if (REFUSE_NOTHING.includes(subject)) expect({ subject, own }).toEqual({ subject, own: [] });
      else expect({ subject, empty: own.length === 0 }).toEqual({ subject, empty: false });
    }
  });

  it('names each code once, leaving the universal ones to rpcErrorCodes', () => {
    const universal = new Set<string>(UNIVERSAL_RPC_ERROR_CODES);
    for (const subject of subjects) {
      const own: readonly string[] = RpcErrorCodes[subject];
      expect({ subject, duplicates: own.filter((c, i) => own.indexOf(c) !== i) }).toEqual({
        subject,
        duplicates: [],
      });
      expect({ subject, universal: own.filter((c) => universal.has(c)) }).toEqual({ subject, universal: [] });
    }
  });

  it('adds the codes every RPC may answer; FORBIDDEN is not one of them', () => {
    expect([...UNIVERSAL_RPC_ERROR_CODES].sort()).toEqual(
      ['ACTOR_UNVERIFIED', 'INTERNAL', 'SERVICE_UNAVAILABLE', 'UNAUTHENTICATED', 'VALIDATION_FAILED'].sort(),
    );
    for (const subject of subjects) {
      expect(rpcErrorCodes(subject)).toEqual([...UNIVERSAL_RPC_ERROR_CODES, ...RpcErrorCodes[subject]]);
    }
    expect(rpcErrorCodes(Rpc.MinistryList)).not.toContain('FORBIDDEN');
    expect(rpcErrorCodes(Rpc.CycleOpen)).toEqual(
      expect.arrayContaining(['FORBIDDEN', 'CYCLE_ALREADY_OPEN', 'CYCLE_QUESTIONNAIRE_MISSING']),
    );
    expect(() => rpcErrorCodes('nobody.answers.this' as RpcSubject)).toThrow(/unknown RPC subject/);
  });

  it('leaves no code of the catalog unanswered except the gateway’s and the jobs’ own', () => {
    const answered = new Set<string>(subjects.flatMap((s) => rpcErrorCodes(s)));
    const unanswered = Object.keys(ErrorCatalog).filter((c) => !answered.has(c));
    expect(unanswered.sort()).toEqual([...NOT_FROM_ANY_RPC].sort());
  });

  it('has no catch-all state codes any more', () => {
    expect(ErrorCatalog).not.toHaveProperty('CYCLE_STATE');
    expect(ErrorCatalog).not.toHaveProperty('AWARD_STATE');
  });
});
