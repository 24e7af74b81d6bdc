import { SetMetadata } from '@nestjs/common';

/** Marks a route that needs no login (health, metrics, login, public results). Everything else is denied by default. */
export const PUBLIC_ROUTE = 'dg:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
