/**
 * The leaders' service as a decorator (`app.leaders`), and the census seed: at start, every
 * area missing from the reference figures gets its row from geo/data/population.csv; rows a
 * leader edited are never overwritten.
 */
import { readFile } from 'node:fs/promises';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { dataPath } from '../../geo/index.ts';
import { parseReferenceCsv, REFERENCE_AREAS } from './population-csv.ts';
import { LeadersService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    leaders: LeadersService;
  }
}

const CENSUS_SEED = 'system:census-seed';

async function leaders(app: FastifyInstance): Promise<void> {
  const service = new LeadersService(app.store, app.geo, {
    lostMs: app.config.lostAfterSeconds * 1000,
    retentionDays: app.config.retentionDays,
  });
  app.decorate('leaders', service);
  const census = parseReferenceCsv(await readFile(dataPath('population.csv'), 'utf8'), REFERENCE_AREAS);
  await service.saveReferences(census, CENSUS_SEED, true);
}

export default fp(leaders, { name: 'leaders', dependencies: ['services'] });
