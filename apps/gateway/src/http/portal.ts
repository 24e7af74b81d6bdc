import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/**
 * Paths that are never the portal, even for a browser asking for HTML: the API (an unknown
 * `/api/v1/...` stays a problem+json 404), its documentation, the probes, metrics and the queue
 * dashboard. Everything else that is not a file of the build is a page of the single-page app.
 */
export const NOT_PORTAL = /^\/(?:api(?:\/|$)|docs|health(?:\/|$)|metrics(?:\/|$)|admin\/queues(?:\/|$))/;

/**
 * The Content-Security-Policy of the portal's page: scripts, fonts and API calls from this origin
 * only, nothing may frame it. Styles also allow inline ones: Mantine writes its CSS variables in a
 * `<style>` element and React sets `style` attributes, and a static page cannot carry a nonce.
 * Images: this origin and `data:` (inline icons).
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite's build names every file under assets/ by its content: a new build has new names. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and the unhashed files at the root: always asked again (an ETag keeps it cheap). */
const REVALIDATE = 'no-cache';

/** The request asks for an HTML page (a browser's navigation), not `*\/*` or JSON. */
export function acceptsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    return type === 'text/html' && !params.includes('q=0');
  });
}

/**
 * The file of the build a path names, relative to `root`, or null: no such regular file, or a
 * path that is not plainly inside the directory (`..`, `.` or empty segments, dot-files, a bad
 * escape, a NUL).
 */
export async function portalFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').slice(1);
  if (
    !segments.length ||
    segments.some((s) => s === '' || s.startsWith('.') || s.includes('\0') || s.includes('\\'))
  ) {
    return null;
  }
  const full = resolve(root, ...segments);
  if (!full.startsWith(root + sep)) return null;
  const info = await stat(full).catch(() => null);
  return info?.isFile() ? segments.join('/') : null;
}

/**
 * Serves the built portal (`apps/web/dist`: index.html and hashed files under assets/) at `/`,
 * in a plugin of its own so its `sendFile` stays there. A GET or HEAD of a file of the build
 * answers it; any other path that a browser asks HTML for, outside {@link NOT_PORTAL} and assets/,
 * answers index.html, so a deep link (`/cycles/2566/response`) survives a reload; the rest goes
 * to the application's not-found handler (problem+json 404). index.html carries the portal's CSP
 * ({@link PORTAL_CSP}) over the default one of every answer.
 */
export async function servePortal(app: NestFastifyApplication, root: string): Promise<void> {
  const dir = resolve(root);
  await app.register(async (instance: FastifyInstance) => {
    // serve: false: only reply.sendFile, the route below decides what is a file of the portal.
    // cacheControl: false: the route sets Cache-Control itself. preCompressed: the build writes
    // .br and .gz beside each script and stylesheet; a browser that accepts one gets it.
    await instance.register(fastifyStatic, {
      root: dir,
      serve: false,
      index: false,
      cacheControl: false,
      preCompressed: true,
    });
    const sendIndex = (reply: FastifyReply) =>
      reply
        .header('cache-control', REVALIDATE)
        .header('content-security-policy', PORTAL_CSP)
        .sendFile('index.html');
    instance.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const pathname = request.url.split('?')[0];
        if (pathname === '/') return sendIndex(reply);
        if (NOT_PORTAL.test(pathname)) return reply.callNotFound();
        const file = await portalFile(dir, pathname);
        if (file === 'index.html') return sendIndex(reply);
        if (file)
          return reply
            .header('cache-control', file.startsWith('assets/') ? IMMUTABLE : REVALIDATE)
            .sendFile(file);
        // A missing hashed file is a 404 even for a browser: the page asking for it is out of date.
        if (!pathname.startsWith('/assets/') && acceptsHtml(request.headers.accept)) return sendIndex(reply);
        return reply.callNotFound();
      },
    });
  });
}
