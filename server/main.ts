/**
 * Starts the server: reads the configuration, builds the app, listens, and shuts down
 * gracefully on SIGINT/SIGTERM. On a fresh store it prints the first admin and wall link.
 */
import { buildApp } from './app.ts';
import { firstStart } from './access/first-start.ts';
import { configFrom } from './config.ts';

async function start() {
  try {
    const config = configFrom(process.env);
    const app = await buildApp(config, { level: config.logLevel });
    await app.listen({ port: config.port, host: config.host });
    // A fresh install prints its first admin and wall link, once, on lines of their own.
    for (const line of await firstStart(app.store, config.publicUrl ?? `http://localhost:${config.port}`)) console.log(line);
    return { config, app };
  } catch (error) {
    // A bad setting, a store in use or unreachable: one clear line, no stack.
    console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

const { config, app } = await start();
app.log.info(
  `wall at http://localhost:${config.port} · store ${app.store.kind} · simulator ${config.simulate ? 'on' : 'off'}`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info(`${signal}: shutting down`);
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
