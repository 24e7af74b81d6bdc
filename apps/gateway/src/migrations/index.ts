import { Users1764200000000 } from './1764200000000-Users';

/** In order. A new migration is appended here and never edited once released. */
export const gatewayMigrations = [Users1764200000000];
