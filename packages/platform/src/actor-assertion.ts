import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { Actor, DomainError, isServiceCallable, SYSTEM_ACTOR } from '@dg/contracts';

/**
 * Signed actors on NATS (ADR 0017). The gateway, which authenticates people, signs the actor of
 * every RPC it sends with its Ed25519 key; every service verifies with the gateway's public key.
 * An assertion is bound to one subject and one request body and lives a minute, so one seen on the
 * wire cannot be replayed onto another subject, another request, or later. Services calling
 * services act as the `system` actor, unsigned: production's NATS permissions decide which
 * service may publish which RPC subject (`ServiceRpcCalls` in the contracts).
 */

/** How long an assertion is valid after the gateway signs it. */
export const ACTOR_ASSERTION_TTL_MS = 60_000;
/** Clock difference between pods that is tolerated on both ends of the validity. */
export const ACTOR_CLOCK_SKEW_MS = 5_000;

/** What the gateway signs: who acts, for which subject and request, until when. */
interface Claims {
  /** The RPC subject (without the run's NATS prefix). */
  sub: string;
  act: Actor;
  /** Correlation id of the call. */
  cid: string;
  /** SHA-256 of the request's JSON (base64url). */
  req: string;
  /** Issued and expiry times, in milliseconds. */
  iat: number;
  exp: number;
}

/** The keys of ACTOR_SIGNING_KEY (the gateway's, private) and ACTOR_VERIFY_KEY (every service's). */
export interface ActorKeys {
  /** Ed25519 private key, PKCS#8: PEM or base64 DER. Only the gateway has it in production. */
  signingKey?: string;
  /** The matching public key, SPKI: PEM or base64 DER. */
  verifyKey?: string;
}

const der = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64');

/** A private key from its PEM or base64 DER text; throws when it is not an Ed25519 key. */
export function signingKeyOf(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: der(text), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  return key;
}

/** A public key from its PEM or base64 DER text; throws when it is not an Ed25519 key. */
export function verifyKeyOf(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: der(text), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** A fresh key pair as the environment carries it (base64 DER): scripts/start.mjs, tests. */
export function generateActorKeys(): Required<ActorKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    verifyKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

const digestOf = (request: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(request ?? {}))
    .digest('base64url');

/** The gateway's side: signs the actor of one request. */
export class ActorSigner {
  private readonly key: KeyObject;

  constructor(signingKey: string) {
    this.key = signingKeyOf(signingKey);
  }

  sign(subject: string, request: unknown, actor: Actor, correlationId: string, now = Date.now()): string {
    const claims: Claims = {
      sub: subject,
      act: actor,
      cid: correlationId,
      req: digestOf(request),
      iat: now,
      exp: now + ACTOR_ASSERTION_TTL_MS,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${sign(null, Buffer.from(body), this.key).toString('base64url')}`;
  }
}

const unverified = (why: string) => new DomainError('ACTOR_UNVERIFIED', `actor not verified: ${why}`);

/**
 * Every RPC server's side: the actor of a request, from the gateway's assertion, or the `system`
 * actor of a service on a subject services call. Anything else is refused with ACTOR_UNVERIFIED.
 */
export class ActorVerifier {
  private readonly key: KeyObject;

  constructor(verifyKey: string) {
    this.key = verifyKeyOf(verifyKey);
  }

  /**
   * @param assertion the `x-actor-assertion` header, if any
   * @param unsigned the actor of the `x-actor` header (already parsed), for calls between services
   */
  actorOf(
    subject: string,
    request: unknown,
    assertion: string | undefined,
    unsigned: Actor | undefined,
    now = Date.now(),
  ): Actor {
    if (!assertion) {
      if (!unsigned) throw new DomainError('UNAUTHENTICATED', 'missing or invalid x-actor header');
      if (!unsigned.roles.includes('system'))
        throw unverified("a person's actor must carry the gateway's signature (x-actor-assertion)");
      if (!isServiceCallable(subject))
        throw unverified(`${subject} is called by the gateway alone, and the system actor is not signed`);
      // Exactly the system actor: roles, an id or an agency added beside 'system' are not taken.
      return SYSTEM_ACTOR;
    }
    const [body, signature, extra] = assertion.split('.');
    if (!body || !signature || extra !== undefined) throw unverified('malformed assertion');
    if (!verify(null, Buffer.from(body), this.key, Buffer.from(signature, 'base64url')))
      throw unverified('bad signature');
    let claims: Partial<Claims>;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Claims>;
    } catch {
      throw unverified('malformed assertion');
    }
    if (claims.sub !== subject) throw unverified(`signed for another subject (${String(claims.sub)})`);
    if (claims.req !== digestOf(request)) throw unverified('signed for another request');
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number')
      throw unverified('malformed assertion');
    if (now > claims.exp + ACTOR_CLOCK_SKEW_MS) throw unverified('expired');
    if (claims.iat > now + ACTOR_CLOCK_SKEW_MS) throw unverified('issued in the future');
    const actor = Actor.safeParse(claims.act);
    if (!actor.success) throw unverified('malformed actor');
    return actor.data;
  }
}
