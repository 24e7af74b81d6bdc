import { OutboxInbox1764100000000 } from '@dg/platform';
import { RegistrySchema1764100000001 } from './1764100000001-RegistrySchema';
import { ReferenceData1764100000002 } from './1764100000002-ReferenceData';

/** In order. A new migration is appended here, never edited once released. */
export const registryMigrations = [OutboxInbox1764100000000, RegistrySchema1764100000001, ReferenceData1764100000002];
