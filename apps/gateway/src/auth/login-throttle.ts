import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { DomainError } from '@dg/contracts';
import { redisConnection } from '@dg/platform';
import { InjectConfig } from '../config';
import { clientNetworkOf } from './client-network';
import type { GatewayConfig } from '../config';

/** 429 RATE_LIMITED with the seconds to wait, for the Retry-After header. */
export class LoginThrottled extends DomainError {
  constructor(readonly retryAfter: number) {
    super('RATE_LIMITED', `ลองใหม่ได้ในอีก ${retryAfter} วินาที (retry in ${retryAfter} s)`);
  }
}

/**
 * One atomic check-and-count in Redis, so that every replica sees the same counters and parallel
 * attempts cannot slip through between a read and a write. Answers the milliseconds to wait, or 0.
 *
 * KEYS: address counter, addresses the e-mail logged in from, then the counter and wait marker
 *       of the e-mail for unknown addresses, then those of the e-mail for this address.
 * ARGV: address limit a minute, free attempts, longest wait (ms), e-mail window (ms), address.
 *
 * - Address: a counter that lives one minute from the first attempt; over the limit, wait for its end.
 * - E-mail: attempts from addresses this e-mail logged in from lately count in a bucket of that
 *   address; all other addresses share one bucket. So an attack from many addresses slows down
 *   the attackers, not the owner at their usual address. In a bucket: while the wait marker
 *   lives, refuse without counting; otherwise count the attempt, and past the free ones the next
 *   attempt must wait 1 s, 2 s, 4 s... up to the longest wait. The marker is set when the attempt
 *   is admitted, so parallel attempts cannot share one slot. A success clears the e-mail's
 *   buckets (see `succeeded`): a slow-down, never a lockout.
 */
const ADMIT_SCRIPT = `
local perAddress = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local fromAddress = redis.call('INCR', KEYS[1])
if fromAddress == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
if fromAddress > perAddress then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 1 then redis.call('PEXPIRE', KEYS[1], 60000); ttl = 60000 end
  return ttl
end
local known = redis.call('SISMEMBER', KEYS[2], ARGV[5]) == 1
local countKey = known and KEYS[5] or KEYS[3]
local waitKey = known and KEYS[6] or KEYS[4]
local waiting = redis.call('PTTL', waitKey)
if waiting > 0 then return waiting end
local attempts = redis.call('INCR', countKey)
redis.call('PEXPIRE', countKey, window)
if attempts >= free then
  local wait = math.min(1000 * 2 ^ (attempts - free), maxWait)
  redis.call('SET', waitKey, '1', 'PX', math.floor(wait))
end
return 0
`;

/** How long the attempts on one e-mail are remembered after the last one. */
const EMAIL_WINDOW_MS = 15 * 60_000;
/** How long an address where the e-mail logged in stays "usual" after the last success there. */
const KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;

interface ThrottleRedis extends Redis {
  admitLogin(
    addressKey: string,
    knownKey: string,
    emailKey: string,
    waitKey: string,
    emailHereKey: string,
    waitHereKey: string,
    perAddress: number,
    free: number,
    maxWaitMs: number,
    windowMs: number,
    address: string,
  ): Promise<number>;
}

/**
 * Login throttling shared by every replica (ADR 0016): a limit per client address (attempts a
 * minute; an IPv6 client is counted by its /64, which it can pick any address of), and per e-mail a slow-down that cannot be turned into a lockout of someone else: after
 * LOGIN_FREE_ATTEMPTS attempts without a success, each attempt on that e-mail waits a little longer
 * than the previous one, never more than LOGIN_MAX_DELAY. Counters live in Redis (ioredis, the
 * connection settings BullMQ uses); e-mails appear there only as hashes. Redis down: 503, the
 * login is not let through unthrottled.
 */
@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private readonly logger = new Logger('LoginThrottle');
  private readonly redis: ThrottleRedis;

  constructor(@InjectConfig() private readonly config: GatewayConfig) {
    this.redis = new Redis({
      ...redisConnection(config.loginThrottle.redisUrl),
      // A login must not hang while Redis is away: fail the command, answer 503.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    }) as ThrottleRedis;
    this.redis.defineCommand('admitLogin', { numberOfKeys: 6, lua: ADMIT_SCRIPT });
    this.redis.on('error', (err: Error) =>
      this.logger.warn({ err: err.message }, 'login throttle: Redis error'),
    );
  }

  /** Counts one password check by `address` for `email`; 429 LoginThrottled when it must wait. */
  async admit(address: string, email: string): Promise<void> {
    const { perAddressPerMinute, freeAttempts, maxDelaySeconds } = this.config.loginThrottle;
    const network = clientNetworkOf(address);
    const k = this.keys(network, email);
    const waitMs = await this.run(() =>
      this.redis.admitLogin(
        k.address,
        k.known,
        k.count,
        k.wait,
        k.countHere,
        k.waitHere,
        perAddressPerMinute,
        freeAttempts,
        maxDelaySeconds * 1000,
        EMAIL_WINDOW_MS,
        network,
      ),
    );
    if (waitMs > 0) {
      this.logger.warn({ address, network, waitMs }, 'login throttled');
      throw new LoginThrottled(Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  /**
   * The right password from `address`: the e-mail's slow-down starts over (the address limit does
   * not), and the address becomes one of the e-mail's usual ones.
   */
  async succeeded(address: string, email: string): Promise<void> {
    const network = clientNetworkOf(address);
    const k = this.keys(network, email);
    await this.run(() =>
      this.redis
        .multi()
        .del(k.count, k.wait, k.countHere, k.waitHere)
        .sadd(k.known, network)
        .pexpire(k.known, KNOWN_ADDRESS_MS)
        .exec(),
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      return await command();
    } catch (e) {
      this.logger.error(
        { err: e instanceof Error ? e.message : String(e) },
        'login throttle: Redis unavailable',
      );
      throw new DomainError('SERVICE_UNAVAILABLE');
    }
  }

  /** E-mails stay out of Redis: the keys carry a hash. `network`: clientNetworkOf (an IPv6 /64). */
  private keys(address: string, email: string) {
    const p = this.config.loginThrottle.keyPrefix;
    const mail = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    return {
      address: `${p}:addr:${address}`,
      known: `${p}:known:${mail}`,
      count: `${p}:mail:${mail}`,
      wait: `${p}:wait:${mail}`,
      countHere: `${p}:mail:${mail}:${address}`,
      waitHere: `${p}:wait:${mail}:${address}`,
    };
  }
}
