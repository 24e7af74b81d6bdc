import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { api } from '../platform';

const ROOT = join(__dirname, '../../..');
const CYCLE = '2565';
/** A small but real PDF: intake recognises the type from the content. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PASSWORD = 'fault-test-2565';
/** A person's pause between steps (0.5–1.5 s), so the load lasts long enough for every fault to land in it. */
const think = () => new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));

export interface SamplePlan {
  code: string;
  stage: string;
  answers: Record<string, unknown>;
  evidence: { questionId: string; files: number }[];
}

/** The sample answer plans of scripts/sample-answers.mjs (an ES module, so run as a process). */
export function samplePlans(): SamplePlan[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts/sample-answers.mjs'), '--json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as SamplePlan[];
}

interface Detail {
  status: string;
  version: number;
}

/** Thrown when the platform answers a request with something a retry will not change. */
export class Refused extends Error {}

/**
 * One agency's coordinator and approver taking a response from not started to submitted through
 * the gateway, the way people do it: on a 5xx or a dropped connection they wait and try again
 * from wherever the response now is. `acknowledged` is set when the platform has confirmed the
 * submission (the approval answered 200, or a retry finds the response already submitted).
 */
export class AgencyRun {
  acknowledged = false;
  retries = 0;
  private coordinatorToken = '';
  private approverToken = '';

  constructor(
    private readonly gateway: string,
    readonly agencyId: string,
    readonly plan: SamplePlan,
  ) {}

  static emails(code: string): { coordinator: string; approver: string } {
    const c = code.toLowerCase();
    return { coordinator: `coord.${c}@fault.test`, approver: `approver.${c}@fault.test` };
  }

  /** The two people of the agency, made by the admin. */
  async createUsers(adminToken: string): Promise<void> {
    const { coordinator, approver } = AgencyRun.emails(this.plan.code);
    for (const [email, role] of [
      [coordinator, 'coordinator'],
      [approver, 'approver'],
    ] as const) {
      const r = await api(this.gateway, 'POST', '/users', {
        token: adminToken,
        body: {
          email,
          password: PASSWORD,
          displayName: `${role} ${this.plan.code}`,
          roles: [role],
          agencyId: this.agencyId,
        },
      });
      if (r.status !== 201 && r.status !== 409)
        throw new Refused(`create ${role} ${this.plan.code}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  /** Runs to submitted, retrying through faults until `deadline` (epoch ms). */
  async run(deadline: number, inFlight: { n: number }): Promise<void> {
    for (;;) {
      inFlight.n++;
      try {
        await this.step();
        if (this.acknowledged) return;
      } catch (e) {
        if (e instanceof Refused || Date.now() > deadline) throw e;
        this.retries++;
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      } finally {
        inFlight.n--;
      }
    }
  }

  private async step(): Promise<void> {
    this.coordinatorToken ||= await this.login(AgencyRun.emails(this.plan.code).coordinator);
    const path = `/cycles/${CYCLE}/responses/${this.agencyId}`;
    const current = this.check(
      await api<Detail>(this.gateway, 'GET', path, { token: this.coordinatorToken }),
    );
    let { status, version } = current;
    if (status === 'submitted' || status === 'verified') {
      this.acknowledged = true;
      return;
    }
    if (status === 'not_started' || status === 'in_progress') {
      const answers: Record<string, unknown> = { ...this.plan.answers };
      for (const e of this.plan.evidence) {
        const ids: string[] = [];
        for (let n = 1; n <= e.files; n++) {
          const form = new FormData();
          form.set(
            'file',
            new Blob([PDF], { type: 'application/pdf' }),
            `${this.plan.code}-${e.questionId}-${n}.pdf`,
          );
          const r = this.check(
            await api<{ id: string }>(
              this.gateway,
              'POST',
              `${path}/evidence?questionId=${encodeURIComponent(e.questionId)}`,
              {
                token: this.coordinatorToken,
                body: form,
              },
            ),
          );
          ids.push(r.id);
        }
        answers[e.questionId] = ids;
      }
      ({ version } = this.check(
        await api<Detail>(this.gateway, 'PATCH', `${path}/answers`, {
          token: this.coordinatorToken,
          body: { version, answers },
        }),
      ));
      await think(); // the coordinator checks the answers before submitting
      ({ status, version } = this.check(
        await api<Detail>(this.gateway, 'POST', `${path}/submit`, {
          token: this.coordinatorToken,
          body: { version },
        }),
      ));
    }
    if (status === 'awaiting_approval') {
      await think(); // the approver reads the response before approving
      this.approverToken ||= await this.login(AgencyRun.emails(this.plan.code).approver);
      ({ status } = this.check(
        await api<Detail>(this.gateway, 'POST', `${path}/approve`, {
          token: this.approverToken,
          body: { version, decision: 'approve' },
        }),
      ));
      this.acknowledged = status === 'submitted';
    }
  }

  private async login(email: string): Promise<string> {
    const r = this.check(
      await api<{ accessToken: string }>(this.gateway, 'POST', '/auth/login', {
        body: { email, password: PASSWORD },
      }),
    );
    return r.accessToken;
  }

  /** 2xx: the body. 5xx, 429 or a version race (409, another try of ours got there): retry. Other 4xx: refused. */
  private check<T>(r: { status: number; body: T }): T {
    if (r.status >= 200 && r.status < 300) return r.body;
    const text = `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
    if (r.status >= 500 || r.status === 429 || r.status === 409) throw new Error(text);
    throw new Refused(`${this.plan.code}: ${text}`);
  }
}
