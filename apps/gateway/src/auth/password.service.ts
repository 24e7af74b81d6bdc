import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';

/** bcrypt hashing. Verifying against an unknown user still costs one bcrypt run, so timing reveals nothing. */
@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(@InjectConfig() private readonly config: GatewayConfig) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  /** Compares against `hash`, or against a throw-away hash of the same cost when there is no user. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (hash === undefined) {
      this.dummy ??= bcrypt.hash('no-such-user-timing-guard', this.config.bcryptCost);
      await bcrypt.compare(password, await this.dummy);
      return false;
    }
    return bcrypt.compare(password, hash);
  }
}
