import { randomBytes } from 'node:crypto';
import { api } from '../platform';
import type { Page } from '../year/http';

/** Who asks: nobody, a role without an agency, or an agency role of the target agency or of another. */
export type Probe =
  | { role: 'anonymous' }
  | { role: 'dga_admin' | 'operator' | 'committee' }
  | { role: 'coordinator' | 'approver'; agency: 'own' | 'other' };

export const PROBES: Probe[] = [
  { role: 'anonymous' },
  { role: 'dga_admin' },
  { role: 'operator' },
  { role: 'committee' },
  { role: 'coordinator', agency: 'own' },
  { role: 'coordinator', agency: 'other' },
  { role: 'approver', agency: 'own' },
  { role: 'approver', agency: 'other' },
];

export const probeName = (p: Probe): string => ('agency' in p ? `${p.role} (${p.agency} agency)` : p.role);

/**
 * The data every row points at, taken from the sample the loader made (cycle 2565 answered,
 * scored, published and awarded): the "own" agency is a winner, so its response, evidence,
 * contact, published scorecard and certificate all exist and a wrong answer cannot hide behind
 * "not found"; "other" is a second agency whose coordinator and approver ask for the first's.
 */
export interface World {
  base: string;
  cycleId: string;
  /** A draft cycle of this test, for the routes that change a cycle (open, close, cohort...). */
  spareCycleId: string;
  own: { id: string; code: string; version: number };
  other: { id: string };
  categoryId: string;
  evidenceId: string;
  contactId: string;
  questionnaireId: string;
  /** A user for PATCH /users/:id. */
  userId: string;
  tokens: Map<string, string>;
  /** A new session of the probe's user (for the route that ends one); undefined for anonymous. */
  session(probe: Probe): Promise<string | undefined>;
  /** A contact of the own agency made for one probe (for the route that erases it). */
  freshContact(): Promise<string>;
}

type Json = Record<string, unknown>;

async function ok<T = Json>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await api<T>(base, method, path, { token, body });
  if (res.status >= 300)
    throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body;
}

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await api<{ accessToken: string }>(base, 'POST', '/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every uuid in a JSON value (evidence ids sit in the answers of file questions). */
function uuidsIn(value: unknown): string[] {
  if (typeof value === 'string') return UUID.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(uuidsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(uuidsIn);
  return [];
}

export async function buildWorld(base: string, admin: { email: string; password: string }): Promise<World> {
  const adminToken = await login(base, admin.email, admin.password);
  const cycleId = '2565';

  const awards = await ok<{
    categories: { id: string; winners: { agencyId: string; agencyCode: string }[] }[];
  }>(base, adminToken, 'GET', `/public/cycles/${cycleId}/awards`);
  const category = awards.categories.find((c) => c.winners.length > 0);
  if (!category) throw new Error('the sample award round has no winner');
  const ownId = category.winners[0].agencyId;
  const own = await ok<{ id: string; code: string; version: number }>(
    base,
    adminToken,
    'GET',
    `/agencies/${ownId}`,
  );
  const departments = await ok<Page<{ id: string }>>(
    base,
    adminToken,
    'GET',
    '/agencies?kind=department&pageSize=5',
  );
  const other = departments.items.find((a) => a.id !== ownId)!;

  const response = await ok<{ answers: Json }>(
    base,
    adminToken,
    'GET',
    `/cycles/${cycleId}/responses/${ownId}`,
  );
  let evidenceId = '';
  for (const id of uuidsIn(response.answers)) {
    if ((await api(base, 'GET', `/evidence/${id}`, { token: adminToken })).status === 200) {
      evidenceId = id;
      break;
    }
  }
  if (!evidenceId) throw new Error(`no evidence in the sample answers of ${own.code}`);

  const contact = {
    fullName: 'ผู้ทดสอบสิทธิ์',
    email: 'matrix@example.go.th',
    purpose: 'survey',
    legalBasis: 'public_task',
  };
  const freshContact = async () =>
    (await ok<{ id: string }>(base, adminToken, 'POST', `/agencies/${ownId}/contacts`, contact)).id;
  // The sample's own contact: notifications knows it (a contact is known there once a message was
  // made for it), so a coordinator's opt-out reaches the agency check.
  const contacts = await ok<{ items: { id: string; position: string | null }[] }>(
    base,
    adminToken,
    'GET',
    `/agencies/${ownId}/contacts`,
  );
  const contactId = contacts.items.find((c) => c.position === 'ผู้ประสานงานการสำรวจ')?.id;
  if (!contactId) throw new Error(`no sample contact for ${own.code}`);

  const cycle = await ok<{ questionnaireId: string }>(base, adminToken, 'GET', `/cycles/${cycleId}`);
  const spare = await ok<{ id: string }>(base, adminToken, 'POST', '/cycles', {
    id: '2590',
    yearBE: 2590,
    title: { th: 'รอบทดสอบสิทธิ์', en: 'Access matrix cycle' },
    opensAt: '2047-05-01T00:00:00+07:00',
    closesAt: '2047-07-31T23:59:59+07:00',
  });

  const tokens = new Map<string, string>([['dga_admin', adminToken]]);
  const credentials = new Map<string, [string, string]>([['dga_admin', [admin.email, admin.password]]]);
  const password = `Matrix-${randomBytes(12).toString('hex')}`;
  // PATCH /users/:id aims at a user of its own: a change to a user ends that user's sessions.
  const { id: userId } = await ok<{ id: string }>(base, adminToken, 'POST', '/users', {
    email: 'matrix-patched@example.go.th',
    displayName: 'Matrix patched',
    password,
    roles: ['operator'],
    agencyId: null,
  });
  const people: [string, string[], string | null][] = [
    ['operator', ['operator'], null],
    ['coordinator (own agency)', ['coordinator'], ownId],
    ['coordinator (other agency)', ['coordinator'], other.id],
    ['approver (own agency)', ['approver'], ownId],
    ['approver (other agency)', ['approver'], other.id],
  ];
  for (const [name, roles, agencyId] of people) {
    const email = `matrix-${name.replace(/\W+/g, '-')}@example.go.th`.replace(/-@/, '@');
    await ok(base, adminToken, 'POST', '/users', {
      email,
      displayName: `Matrix ${name}`,
      password,
      roles,
      agencyId,
    });
    credentials.set(name, [email, password]);
    tokens.set(name, await login(base, email, password));
  }

  // A member of the sample's award committees, so that a decision reaches the category's own rules.
  credentials.set('committee', ['sample-committee-1@example.go.th', 'committee-2565']);
  tokens.set('committee', await login(base, ...credentials.get('committee')!));

  return {
    base,
    cycleId,
    spareCycleId: spare.id,
    own,
    other,
    categoryId: category.id,
    evidenceId,
    contactId,
    questionnaireId: cycle.questionnaireId,
    userId,
    tokens,
    session: async (probe) => {
      const who = credentials.get(probeName(probe));
      return who && login(base, ...who);
    },
    freshContact,
  };
}
