import { OutboxInbox1764100000000 } from '@dg/platform';
import { AwardsSchema1764600000001 } from './1764600000001-AwardsSchema';
import { Nominations1764600000002 } from './1764600000002-Nominations';

/** In order. A new migration is appended here, never edited once released. */
export const awardsMigrations = [
  OutboxInbox1764100000000,
  AwardsSchema1764600000001,
  Nominations1764600000002,
];
