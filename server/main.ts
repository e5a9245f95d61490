/**
 * Starts the server: reads the configuration, builds the app, listens, starts the built-in
 * simulator when configured, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { buildApp } from './app.ts';
import { configFrom } from './config.ts';
import { startSimulator } from '../seeds/runner.ts';

const config = configFrom(process.env);
const app = await buildApp(config, { level: config.logLevel });
await app.listen({ port: config.port, host: config.host });
const url = `http://127.0.0.1:${config.port}`;
app.log.info(`wall: http://localhost:${config.port}  store: ${app.store.kind}  simulator: ${config.simulate ? 'on' : 'off'}`);

const simulator = config.simulate
  ? await startSimulator({
      url,
      speed: config.simSpeed,
      seed: config.simSeed,
      subdistricts: app.geo.subdistricts,
      log: (message: string) => app.log.warn(message),
    })
  : null;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info(`${signal}: shutting down`);
  await simulator?.stop();
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
