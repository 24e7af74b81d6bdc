import type { Probe, World } from './world';

/**
 * THE AUTHORIZATION MATRIX: one row per route of the gateway, who may call it, and what a
 * coordinator or approver of ANOTHER agency gets when they ask for this agency's resource.
 *
 * - `allow`: `'public'` (no login), `'any'` (any logged-in role), or the roles the gateway's
 *   `@Allow(...)` names. Everyone else: 401 UNAUTHENTICATED without a token, 403 FORBIDDEN with one.
 * - `scope` (rows that name one agency's resource, for the agency roles):
 *   - `'hidden'`: another agency's resource is 404 (its existence is not revealed, docs/API.md);
 *   - `'forbidden'`: asking for another agency is 403 (a filter, not a resource: nothing is revealed);
 *   - `'filtered'`: a list that shows an agency role its own agency only.
 *   Without `scope`, an agency role that may call the route gets the same answer whatever its agency.
 * - `send`: a cheap request that reaches the service: the "own" agency's existing resources (so an
 *   allowed caller is never answered 404), bodies valid where the service must see them to check
 *   the agency (the gateway's guard runs before validation, so elsewhere `{}` and its 400 is enough).
 *   Routes that change things aim at the spare cycle or at state that refuses the change (the
 *   sample's results are published and its awards announced).
 *
 * HOW TO ADD A ROUTE: the test reads the gateway's OpenAPI document and fails, naming the route,
 * when a route has no row here (or a row names a route that is gone). Add one row: the route as the
 * document writes it, the roles of its `@Allow(...)` (or `'public'`), its `scope` if it names an
 * agency's resource, and a request aimed at `w.own` (see world.ts for what exists).
 */
export interface Row {
  route: string;
  allow: 'public' | 'any' | Role[];
  scope?: 'hidden' | 'forbidden' | 'filtered';
  /** The 404 code with which the route says "nothing there yet" to an allowed caller (not a refusal). */
  nothingYet?: string;
  send(w: World, probe: Probe): Request | Promise<Request>;
}

export type Role = 'dga_admin' | 'operator' | 'committee' | 'coordinator' | 'approver';

export interface Request {
  /** Under /api/v1 unless `root` (health). */
  path: string;
  root?: boolean;
  body?: unknown;
  /** The token to send instead of the probe's usual one (a session made for this request). */
  token?: string;
  /** A multipart body with one file. */
  file?: { name: string; type: string; bytes: string };
}

const ADMIN: Role[] = ['dga_admin'];
const STAFF: Role[] = ['dga_admin', 'operator'];
const STAFF_COMMITTEE: Role[] = ['dga_admin', 'operator', 'committee'];
const STAFF_AGENCY: Role[] = ['dga_admin', 'operator', 'coordinator', 'approver'];
const ADMIN_COORDINATOR: Role[] = ['dga_admin', 'coordinator'];
const READERS_OF_RESULTS: Role[] = ['dga_admin', 'operator', 'committee', 'coordinator', 'approver'];

const csv = (bytes: string) => ({ name: 'matrix.csv', type: 'text/csv', bytes });
const nomination = (w: World) => ({
  agencyId: w.own.id,
  nominee: { name: 'ผู้นำดิจิทัลตัวอย่าง' },
  statement: 'เสนอชื่อเพื่อทดสอบสิทธิ์ (access matrix nomination)',
});

export const ROUTES: Row[] = [
  // auth and users
  { route: 'POST /api/v1/auth/login', allow: 'public', send: () => ({ path: '/auth/login', body: {} }) },
  { route: 'GET /api/v1/auth/me', allow: 'any', send: () => ({ path: '/auth/me' }) },
  {
    route: 'POST /api/v1/auth/refresh',
    allow: 'public',
    send: () => ({ path: '/auth/refresh', body: { refreshToken: 1 } }),
  },
  {
    // Ends the session it is called with: a session of its own, not the probe's usual token.
    route: 'POST /api/v1/auth/logout',
    allow: 'any',
    send: async (w, probe) => ({ path: '/auth/logout', token: await w.session(probe) }),
  },
  { route: 'POST /api/v1/auth/password', allow: 'any', send: () => ({ path: '/auth/password', body: {} }) },
  { route: 'GET /api/v1/users', allow: ADMIN, send: () => ({ path: '/users' }) },
  { route: 'POST /api/v1/users', allow: ADMIN, send: () => ({ path: '/users', body: {} }) },
  { route: 'GET /api/v1/users/{id}', allow: ADMIN, send: (w) => ({ path: `/users/${w.userId}` }) },
  {
    route: 'PATCH /api/v1/users/{id}',
    allow: ADMIN,
    send: (w) => ({ path: `/users/${w.userId}`, body: {} }),
  },

  // registry
  { route: 'GET /api/v1/ministries', allow: 'any', send: () => ({ path: '/ministries' }) },
  { route: 'GET /api/v1/provinces', allow: 'any', send: () => ({ path: '/provinces' }) },
  {
    route: 'GET /api/v1/agencies',
    allow: 'any',
    scope: 'filtered',
    send: (w) => ({ path: `/agencies?q=${w.own.code}` }),
  },
  {
    route: 'GET /api/v1/agencies/{id}',
    allow: 'any',
    scope: 'hidden',
    send: (w) => ({ path: `/agencies/${w.own.id}` }),
  },
  { route: 'POST /api/v1/agencies', allow: ADMIN, send: () => ({ path: '/agencies', body: {} }) },
  {
    route: 'PATCH /api/v1/agencies/{id}',
    allow: ADMIN,
    send: (w) => ({ path: `/agencies/${w.own.id}`, body: {} }),
  },
  {
    route: 'POST /api/v1/agencies/import',
    allow: ADMIN,
    send: () => ({ path: '/agencies/import?dryRun=true', file: csv('code,name_th,kind\r\n') }),
  },
  {
    route: 'GET /api/v1/agencies/export',
    allow: STAFF,
    send: () => ({ path: '/agencies/export?format=csv' }),
  },
  {
    route: 'GET /api/v1/agencies/{id}/contacts',
    allow: STAFF_AGENCY,
    scope: 'hidden',
    send: (w) => ({ path: `/agencies/${w.own.id}/contacts` }),
  },
  {
    route: 'POST /api/v1/agencies/{id}/contacts',
    allow: ADMIN_COORDINATOR,
    scope: 'hidden',
    send: (w) => ({
      path: `/agencies/${w.own.id}/contacts`,
      body: {
        fullName: 'ผู้ติดต่อทดสอบ',
        email: 'matrix-contact@example.go.th',
        purpose: 'survey',
        legalBasis: 'public_task',
      },
    }),
  },
  {
    route: 'DELETE /api/v1/contacts/{id}',
    allow: ADMIN_COORDINATOR,
    scope: 'hidden',
    send: async (w) => ({ path: `/contacts/${await w.freshContact()}` }),
  },
  {
    route: 'PUT /api/v1/cycles/{id}/cohort',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/cohort`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/cohort',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/cohort` }),
  },

  // cycles and questionnaires
  { route: 'GET /api/v1/cycles', allow: 'any', send: () => ({ path: '/cycles' }) },
  { route: 'POST /api/v1/cycles', allow: ADMIN, send: () => ({ path: '/cycles', body: {} }) },
  { route: 'GET /api/v1/cycles/{id}', allow: 'any', send: (w) => ({ path: `/cycles/${w.cycleId}` }) },
  {
    route: 'PATCH /api/v1/cycles/{id}',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/open',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/open`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/close',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/close`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/progress',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/progress` }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/publication-readiness',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/publication-readiness` }),
  },
  {
    route: 'PUT /api/v1/cycles/{id}/questionnaire',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/questionnaire`, body: {} }),
  },
  { route: 'POST /api/v1/questionnaires', allow: ADMIN, send: () => ({ path: '/questionnaires', body: {} }) },
  {
    route: 'GET /api/v1/questionnaires/{id}',
    allow: 'any',
    send: (w) => ({ path: `/questionnaires/${w.questionnaireId}` }),
  },

  // responses and evidence
  {
    route: 'GET /api/v1/cycles/{id}/responses',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses` }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/responses/{agencyId}',
    allow: STAFF_AGENCY,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}` }),
  },
  {
    route: 'PATCH /api/v1/cycles/{id}/responses/{agencyId}/answers',
    allow: ['coordinator'],
    scope: 'hidden',
    send: (w) => ({
      path: `/cycles/${w.cycleId}/responses/${w.own.id}/answers`,
      body: { version: 1, answers: {} },
    }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/submit',
    allow: ['coordinator'],
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/submit`, body: { version: 1 } }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/approve',
    allow: ['approver'],
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/approve`, body: { version: 1 } }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/return',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/return`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/verify',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/verify`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/extension',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/extension`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/set-aside',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/set-aside`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/responses/{agencyId}/audit',
    allow: STAFF_AGENCY,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/audit` }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/responses/{agencyId}/completeness',
    allow: STAFF_AGENCY,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/completeness` }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/responses/{agencyId}/evidence',
    allow: ['coordinator'],
    scope: 'hidden',
    send: (w) => ({
      path: `/cycles/${w.cycleId}/responses/${w.own.id}/evidence?questionId=P1.Q1`,
      file: { name: 'matrix.pdf', type: 'application/pdf', bytes: '%PDF-1.4\n%%EOF\n' },
    }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/responses/{agencyId}/evidence',
    allow: STAFF_AGENCY,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/${w.own.id}/evidence` }),
  },
  {
    // The sample's responses are submitted: an allowed delete is refused 409 RESPONSE_LOCKED, nothing goes.
    route: 'DELETE /api/v1/evidence/{id}',
    allow: ['coordinator'],
    scope: 'hidden',
    send: (w) => ({ path: `/evidence/${w.evidenceId}` }),
  },
  {
    route: 'GET /api/v1/evidence/{id}',
    allow: ['dga_admin', 'operator', 'coordinator', 'approver', 'committee'],
    scope: 'hidden',
    send: (w) => ({ path: `/evidence/${w.evidenceId}` }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/responses/export',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/responses/export?format=csv` }),
  },

  // scoring and results
  {
    route: 'GET /api/v1/cycles/{id}/scorecards/{agencyId}',
    allow: READERS_OF_RESULTS,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/scorecards/${w.own.id}` }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/results',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/results` }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/rescore',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/rescore`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/rescore',
    allow: STAFF,
    nothingYet: 'NOT_FOUND',
    send: (w) => ({ path: `/cycles/${w.cycleId}/rescore` }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/results/publish',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.cycleId}/results/publish`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/scoring-rules',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/scoring-rules` }),
  },
  {
    route: 'PUT /api/v1/cycles/{id}/scoring-rules',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/scoring-rules`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/scoring-failures',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/scoring-failures` }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/results/import',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/results/import`, file: csv('agency_code,overall\r\n') }),
  },
  {
    route: 'GET /api/v1/public/cycles/{id}/results',
    allow: 'public',
    send: (w) => ({ path: `/public/cycles/${w.cycleId}/results` }),
  },
  { route: 'GET /api/v1/public/cycles', allow: 'public', send: () => ({ path: '/public/cycles' }) },
  {
    route: 'GET /api/v1/public/cycles/{id}/scorecards/{agencyCode}',
    allow: 'public',
    send: (w) => ({ path: `/public/cycles/${w.cycleId}/scorecards/${w.own.code}` }),
  },
  {
    route: 'GET /api/v1/public/cycles/{id}/methodology',
    allow: 'public',
    send: (w) => ({ path: `/public/cycles/${w.cycleId}/methodology` }),
  },

  // notifications
  {
    route: 'POST /api/v1/cycles/{id}/announcements',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/announcements`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/reminders',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.spareCycleId}/reminders`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/non-submitters/export',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/non-submitters/export` }),
  },
  {
    route: 'GET /api/v1/notifications',
    allow: STAFF_AGENCY,
    scope: 'filtered',
    send: (w) => ({ path: `/notifications?agencyId=${w.own.id}` }),
  },
  {
    route: 'GET /api/v1/templates/{key}',
    allow: STAFF,
    send: () => ({ path: '/templates/deadline_reminder' }),
  },
  {
    route: 'PUT /api/v1/templates/{key}',
    allow: ADMIN,
    send: () => ({ path: '/templates/deadline_reminder', body: {} }),
  },
  {
    route: 'POST /api/v1/templates/{key}/preview',
    allow: STAFF,
    send: () => ({ path: '/templates/deadline_reminder/preview', body: {} }),
  },
  {
    route: 'PUT /api/v1/contacts/{id}/channels/{channel}',
    allow: ADMIN_COORDINATOR,
    scope: 'hidden',
    send: (w) => ({ path: `/contacts/${w.contactId}/channels/line`, body: { optedOut: false } }),
  },

  // awards
  {
    route: 'GET /api/v1/cycles/{id}/award-categories',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/award-categories` }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/award-categories',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.cycleId}/award-categories`, body: {} }),
  },
  {
    route: 'PATCH /api/v1/award-categories/{id}',
    allow: ADMIN,
    send: (w) => ({ path: `/award-categories/${w.categoryId}`, body: {} }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/awards/candidates',
    allow: STAFF,
    send: (w) => ({ path: `/cycles/${w.cycleId}/awards/candidates`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/awards',
    allow: STAFF_COMMITTEE,
    send: (w) => ({ path: `/cycles/${w.cycleId}/awards` }),
  },
  {
    route: 'GET /api/v1/award-categories/{id}/candidates',
    // Agency people read their own agency's row only (the others are filtered out of the page).
    allow: READERS_OF_RESULTS,
    scope: 'filtered',
    send: (w) => ({ path: `/award-categories/${w.categoryId}/candidates` }),
  },
  {
    route: 'POST /api/v1/award-categories/{id}/decisions',
    // Decisions are the committee's alone (segregation of duties: an admin seats no one, decides nothing).
    allow: ['committee'],
    send: (w) => ({ path: `/award-categories/${w.categoryId}/decisions`, body: { type: 'confirm' } }),
  },
  {
    route: 'POST /api/v1/award-categories/{id}/nominations',
    allow: STAFF_AGENCY,
    scope: 'forbidden',
    send: (w) => ({ path: `/award-categories/${w.categoryId}/nominations`, body: nomination(w) }),
  },
  {
    route: 'POST /api/v1/cycles/{id}/awards/announce',
    allow: ADMIN,
    send: (w) => ({ path: `/cycles/${w.cycleId}/awards/announce`, body: {} }),
  },
  {
    route: 'GET /api/v1/cycles/{id}/awards/{categoryId}/certificates/{agencyId}',
    allow: READERS_OF_RESULTS,
    scope: 'hidden',
    send: (w) => ({ path: `/cycles/${w.cycleId}/awards/${w.categoryId}/certificates/${w.own.id}` }),
  },
  {
    route: 'GET /api/v1/public/cycles/{id}/awards',
    allow: 'public',
    send: (w) => ({ path: `/public/cycles/${w.cycleId}/awards` }),
  },
  {
    route: 'GET /api/v1/certificates/{number}',
    allow: 'public',
    // An unknown number is the route's own 404 to everyone: nothing to refuse.
    nothingYet: 'CERTIFICATE_NOT_FOUND',
    send: () => ({ path: '/certificates/DGA-0000-none-001' }),
  },

  // operations (the gateway's /metrics is on METRICS_PORT, not on the public port)
  { route: 'GET /health/live', allow: 'public', send: () => ({ path: '/health/live', root: true }) },
  { route: 'GET /health/ready', allow: 'public', send: () => ({ path: '/health/ready', root: true }) },
  // Operators' view of every service's readiness (a report: 200 even when one is down).
  { route: 'GET /api/v1/health/services', allow: STAFF, send: () => ({ path: '/health/services' }) },
];
