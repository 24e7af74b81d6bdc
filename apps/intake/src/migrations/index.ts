import { OutboxInbox1764100000000 } from '@dg/platform';
import { IntakeSchema1764300000001 } from './1764300000001-IntakeSchema';
import { ResponseAgencyPlace1796281000000 } from './1796281000000-ResponseAgencyPlace';
import { ResponseSentBack1796900000000 } from './1796900000000-ResponseSentBack';
import { ResponseSetAside1797000000000 } from './1797000000000-ResponseSetAside';

/** In order. A new migration is appended here, never edited once released. */
export const intakeMigrations = [
  OutboxInbox1764100000000,
  IntakeSchema1764300000001,
  ResponseAgencyPlace1796281000000,
  ResponseSentBack1796900000000,
  ResponseSetAside1797000000000,
];
