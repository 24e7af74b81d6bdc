/**
 * What production refuses as a secret (issue 13, hole 2): a value committed anywhere in the
 * repository, one shorter than 32 bytes, or a known placeholder. Checked by loadConfig for every
 * secret variable a service reads, naming the variable.
 */

/** A variable that holds a secret, by its name (JWT_SECRET, ADMIN_PASSWORD, NATS_PASSWORD, SMTP_PASSWORD, LINE_CHANNEL_ACCESS_TOKEN, ...). */
export const SECRET_NAME = /(SECRET|PASSWORD|TOKEN|_KEY)$/;

/** A URL variable whose password part is a secret too (DATABASE_URL, REDIS_URL). */
export const URL_NAME = /_URL$/;

export const MIN_SECRET_BYTES = 32;

/**
 * Every secret-like value committed in the repository: development defaults, the k8s template
 * Secret, the examples of the production overlay, the test suites' own. Kept here so production
 * can refuse them; `secrets.test.ts` scans the repository and fails when a committed value is
 * missing from this list.
 */
export const COMMITTED_SECRETS: readonly string[] = [
  // apps/gateway/src/config.ts development fallbacks
  'dev-only-jwt-secret-do-not-use-in-production',
  'admin-2565',
  // docker-compose.yml development defaults
  'dev-only-change-me-not-a-real-jwt-secret',
  'dev-only-admin-password',
  'dev-only-postgres-password',
  'dev-only-line-stand-in-token',
  'dev-only-grafana-password',
  // k8s/base/platform-secrets.env and k8s/infra/nats/nats-users.env (template Secret, dev overlay)
  'change-me',
  'change-me-placeholder-not-a-secret-0000',
  'change-me-placeholder',
  // k8s/base/platform-secrets.env: the dev overlay's actor key pair (ADR 0017)
  'MC4CAQAwBQYDK2VwBCIEIIM169aSVmaoe5qZqDJ/LRSQy5mIcd8K6s6pLlYXj+ec',
  'MCowBQYDK2VwAyEAlLTMSBYDjd9JRCQDonRctEPswLNwZ6PM08KJYxH5QR4=',
  'changeMeNatsRegistryDevOnly00000',
  'changeMeNatsIntakeDevOnly0000000',
  'changeMeNatsScoringDevOnly000000',
  'changeMeNatsNotificationsDevOnly',
  'changeMeNatsAwardsDevOnly0000000',
  'changeMeNatsGatewayDevOnly000000',
  'changeMeNatsRegistrySetup0000000',
  'changeMeNatsIntakeSetup000000000',
  'changeMeNatsScoringSetup00000000',
  'changeMeNatsAwardsSetup000000000',
  // k8s/overlays/production/*.example
  'CHANGE_ME',
  'CHANGE_ME_at_least_32_random_characters_0000',
  'CHANGE_ME_strong_password',
  'CHANGE_ME_smtp_password',
  'CHANGE_ME_line_channel_access_token',
];

/** Words that mark a value as a stand-in, wherever they appear in it. */
const PLACEHOLDER_WORDS =
  /change[-_ ]?me|placeholder|dev[-_]?only|do[-_]?not[-_]?use|not[-_]a[-_](real[-_])?secret|example|your[-_]|replace[-_]?me|^(secret|password|passw0rd|admin|test|default|token|x+|0+|1234\d*)$/i;

export function isPlaceholderSecret(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value);
}

/** The password of a URL with credentials (`postgres://user:pass@host/db`), if any. */
export function passwordOfUrl(value: string): string | undefined {
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Why `value` may not be a production secret, or undefined when it may. */
export function secretProblem(value: string): string | undefined {
  if (COMMITTED_SECRETS.includes(value))
    return 'is a value committed in the repository; use a secret of this deployment';
  if (isPlaceholderSecret(value)) return 'is a placeholder; use a real secret';
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  return undefined;
}

/**
 * The problems of every secret in a production environment, one line per variable, by name:
 * variables named like a secret, and the password inside URL variables. Unset variables are left
 * to each service's schema (required or not).
 */
export function productionSecretProblems(env: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value === '') continue;
    if (SECRET_NAME.test(name)) {
      const problem = secretProblem(value);
      if (problem) problems.push(`${name}: ${problem} (production)`);
    } else if (URL_NAME.test(name)) {
      const password = passwordOfUrl(value);
      const problem = password === undefined ? undefined : secretProblem(password);
      if (problem) problems.push(`${name}: its password ${problem} (production)`);
    }
  }
  return problems;
}
