import { Users1764200000000 } from './1764200000000-Users';
import { Sessions1796640000000 } from './1796640000000-Sessions';
import { SessionIdle1796700000000 } from './1796700000000-SessionIdle';

/** In order. A new migration is appended here and never edited once released. */
export const gatewayMigrations = [Users1764200000000, Sessions1796640000000, SessionIdle1796700000000];
