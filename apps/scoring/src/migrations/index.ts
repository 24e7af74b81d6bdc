import { OutboxInbox1764100000000 } from '@dg/platform';
import { ScoringSchema1764400000001 } from './1764400000001-ScoringSchema';
import { ScoreRequests1764400000002 } from './1764400000002-ScoreRequests';

/** In order. A new migration is appended here, never edited once released. */
export const scoringMigrations = [
  OutboxInbox1764100000000,
  ScoringSchema1764400000001,
  ScoreRequests1764400000002,
];
