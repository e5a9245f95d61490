/**
 * CSV imports over HTTP: a route plugin that takes `text/csv` bodies (the registry's, the
 * leaders' reference figures) reads them as text decoded by `decodeCsv` (UTF-8 or GB18030, as
 * Excel saves), up to `bodyLimit` bytes.
 */
import type { FastifyInstance } from 'fastify';
import { decodeCsv } from './csv.ts';

export function acceptCsvBodies(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, decodeCsv(body as Buffer)));
}
