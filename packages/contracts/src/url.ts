import { z } from 'zod';

/** A host name as `new URL` gives it (lower case, IDNs in punycode, e.g. `xn--o3cw4h.xn--o3cw4h` for ไทย.ไทย). */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export const SAFE_URL_MAX_LENGTH = 2000;

/**
 * Why a link people will open (from the portal or a message) is unsafe, or null when it is fine:
 * `https://` and a host name only. `javascript:` and `data:` run or show content of the attacker's
 * choosing when rendered as a link, `http:` can be read and changed on the way, a user name in the
 * address (`https://dga.or.th@evil.example/`) hides the real host, and spaces or control
 * characters let one address be read two ways.
 */
export function unsafeUrlReason(value: string): { en: string; th: string } | null {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value))
    return { en: 'no spaces or control characters', th: 'ห้ามมีช่องว่างหรืออักขระควบคุม' };
  if (!/^https:\/\//i.test(value))
    return { en: 'must start with https://', th: 'ต้องขึ้นต้นด้วย https://' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { en: 'not a web address', th: 'ไม่ใช่ที่อยู่เว็บ' };
  }
  if (url.protocol !== 'https:') return { en: 'must start with https://', th: 'ต้องขึ้นต้นด้วย https://' };
  if (url.username || url.password)
    return { en: 'no user name or password in the address', th: 'ห้ามมีชื่อผู้ใช้หรือรหัสผ่านในที่อยู่' };
  if (!HOST_NAME.test(url.hostname))
    return { en: 'needs a host name such as www.example.go.th', th: 'ต้องมีชื่อโดเมน เช่น www.example.go.th' };
  return null;
}

/**
 * The one schema for every URL the platform stores from a person's input (nomination evidence,
 * briefing meeting links and documents). Refused as a validation error with code `UNSAFE_URL`.
 * Configuration URLs (SMTP, LINE, PORTAL_URL) are the operator's and are checked by each config.
 * Survey answers of type URL are checked by `@dg/survey-model` (http and https: an agency may still
 * run an http service and must be able to say so; never any other scheme).
 */
export const SafeUrl = z
  .string()
  .max(SAFE_URL_MAX_LENGTH)
  .superRefine((value, ctx) => {
    const reason = unsafeUrlReason(value);
    if (!reason) return;
    ctx.addIssue({
      code: 'custom',
      message: `unsafe link: ${reason.en}`,
      params: { code: 'UNSAFE_URL', messageTh: `ลิงก์ไม่ปลอดภัย: ${reason.th}` },
    });
  })
  .meta({ format: 'uri', pattern: '^https://', description: 'https:// address with a host name' });
