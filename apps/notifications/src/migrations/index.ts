import { OutboxInbox1764100000000 } from '@dg/platform';
import { NotificationsSchema1764500000001 } from './1764500000001-NotificationsSchema';
import { CycleVersionDeadlineReminders1796290000000 } from './1796290000000-CycleVersionDeadlineReminders';
import { AgencyDeadlines1796310000000 } from './1796310000000-AgencyDeadlines';

/** In order. A new migration is appended here, never edited once released. */
export const notificationsMigrations = [
  OutboxInbox1764100000000,
  NotificationsSchema1764500000001,
  CycleVersionDeadlineReminders1796290000000,
  AgencyDeadlines1796310000000,
];
