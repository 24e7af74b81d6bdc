// The sample's people and the open cycle a newcomer answers in the portal, shared by
// scripts/load-sample.mjs (which makes them) and scripts/start.mjs (which prints them). DEVELOPMENT
// ONLY: the loader never makes them with NODE_ENV=production, and the passwords are written here.

/** The sample agency whose people answer: the first department of the sample registry. */
export const SAMPLE_AGENCY_CODE = process.env.SAMPLE_AGENCY_CODE ?? 'DEP-001';

/** The cycle left open, with nobody's answers, for the sample people to answer from scratch. */
export const OPEN_CYCLE = '2566';

/** How long the open cycle stays open from the day it is opened (or its deadline is moved on). */
export const OPEN_CYCLE_DAYS = Math.max(14, Number(process.env.SAMPLE_OPEN_DAYS ?? 90));

/**
 * A coordinator (answers, uploads evidence, asks for approval) and the agency's head (approver:
 * approves, which submits). Passwords meet the gateway's policy (12 characters, not a common one).
 */
export const SAMPLE_PEOPLE = [
  {
    key: 'coordinator',
    email: 'coordinator@sample.go.th',
    password: process.env.SAMPLE_COORDINATOR_PASSWORD ?? 'sample-coordinator-2566',
    displayName: 'สมศรี ตัวอย่าง (ผู้ประสานงานตัวอย่าง)',
    roles: ['coordinator'],
    what: 'ผู้ประสานงาน (coordinator): answers, attaches evidence, asks for approval',
  },
  {
    key: 'head',
    email: 'head@sample.go.th',
    password: process.env.SAMPLE_HEAD_PASSWORD ?? 'sample-head-2566',
    displayName: 'ประเสริฐ ตัวอย่าง (หัวหน้าหน่วยงานตัวอย่าง)',
    roles: ['approver'],
    what: "หัวหน้าหน่วยงาน (approver, the agency's head): approves, which submits",
  },
];

/** The lines that say who they are, for the loader's log and npm start's summary. */
export function sampleLoginLines(indent = '') {
  return SAMPLE_PEOPLE.map(
    (p) => `${indent}${p.email} / ${p.password}   ${p.what}, ${SAMPLE_AGENCY_CODE}, cycle ${OPEN_CYCLE}`,
  );
}
